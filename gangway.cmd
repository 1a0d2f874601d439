@echo off
rem Runs Gangway on Windows, building the runnable jar first when it is missing or older than
rem the sources (as ./gangway does elsewhere). GANGWAY_JAVA_OPTS replaces the JVM options.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%proxy-core\target\gangway.jar"
set "DEFAULTS=-XX:+UseSerialGC -Xss512k -Xms8m -XX:ReservedCodeCacheSize=32m -XX:+ExitOnOutOfMemoryError"

rem Stale when the jar is missing, or a pom.xml or a file under src\main is newer than it.
if not exist "%JAR%" goto build
powershell -NoProfile -NonInteractive -Command ^
  "$jar = Get-Item -LiteralPath $env:JAR;" ^
  "$newer = Get-ChildItem -LiteralPath $env:HERE -Recurse -File -ErrorAction SilentlyContinue |" ^
  "  Where-Object { $_.FullName -notmatch '\\(target|\.git)\\' -and ($_.Name -eq 'pom.xml' -or $_.FullName -match '\\src\\main\\') -and $_.LastWriteTime -gt $jar.LastWriteTime } |" ^
  "  Select-Object -First 1;" ^
  "if ($newer) { exit 0 } else { exit 1 }"
if errorlevel 1 goto run
:build
echo gangway: building %JAR% (first run or sources changed)... 1>&2
pushd "%HERE%"
call mvnw.cmd -B -q -Dmaven.test.skip=true -pl proxy-core -am package 1>&2
if errorlevel 1 (
  popd
  exit /b 1
)
popd

:run
if "%~1"=="--print-java-options" (
  if defined GANGWAY_JAVA_OPTS (echo %GANGWAY_JAVA_OPTS%) else (echo %DEFAULTS%)
  exit /b 0
)
if defined GANGWAY_JAVA_OPTS (set "OPTS=%GANGWAY_JAVA_OPTS%") else (set "OPTS=%DEFAULTS%")
java %OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
