package io.gangway.routing.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this machine's proxy settings, read-only, with the tool each OS provides: Windows'
 * registry ({@code reg query}), macOS ({@code scutil --proxy}), KDE ({@code kioslaverc}), GNOME
 * ({@code gsettings}, only in a desktop session: a server has no desktop settings to honour).
 * Empty when there are none, or when the tool is missing or fails (logged at debug).
 */
public final class OsProxyDetector {

    private static final Logger log = LoggerFactory.getLogger(OsProxyDetector.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    private OsProxyDetector() {
    }

    public static Optional<OsProxySettings> detect(Map<String, String> env) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        Optional<OsProxySettings> found;
        if (os.startsWith("windows")) {
            found = run(env, List.of("reg", "query", "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"))
                    .map(WindowsProxySettings::parse);
        } else if (os.startsWith("mac")) {
            found = run(env, List.of("scutil", "--proxy")).map(MacProxySettings::parse);
        } else {
            found = linux(env);
        }
        return found.filter(s -> !s.isEmpty());
    }

    private static Optional<OsProxySettings> linux(Map<String, String> env) {
        String desktop = env.getOrDefault("XDG_CURRENT_DESKTOP", "").toUpperCase(Locale.ROOT);
        if (desktop.contains("KDE") || env.containsKey("KDE_FULL_SESSION")) {
            Path config = env.containsKey("XDG_CONFIG_HOME") ? Path.of(env.get("XDG_CONFIG_HOME"))
                    : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
            try {
                return Optional.of(KdeProxySettings.parse(Files.readString(config.resolve("kioslaverc"))));
            } catch (IOException e) {
                log.debug("no KDE proxy settings: {}", e.toString());
                return Optional.empty();
            }
        }
        if (!desktop.isEmpty() || env.containsKey("DESKTOP_SESSION") || env.containsKey("GSETTINGS_BACKEND")) {
            return run(env, List.of("gsettings", "list-recursively", "org.gnome.system.proxy")).map(GnomeProxySettings::parse);
        }
        return Optional.empty();
    }

    /** The command's standard output when it exits 0 within the timeout (a hung tool is killed). */
    static Optional<String> run(Map<String, String> env, List<String> command) {
        Path out = null;
        try {
            out = Files.createTempFile("gangway-os-proxy", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            builder.environment().putAll(env); // the environment the settings are read for
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.debug("{} did not finish within {} s", command.get(0), COMMAND_TIMEOUT.toSeconds());
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                log.debug("{} exited with {}", command.get(0), p.exitValue());
                return Optional.empty();
            }
            return Optional.of(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.debug("cannot run {}: {}", command.get(0), e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a temp file left behind: harmless
                }
            }
        }
    }
}
