package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EnvCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CliRun env(Map<String, String> environment, String... args) {
        Map<String, String> e = new HashMap<>(Map.of("HOME", "/nonexistent"));
        e.putAll(environment);
        return CliRun.of(new CommandLine(new EnvCommand(e).spec()), args);
    }

    /** Runs the lines in a real sh, then prints the variables as the shell sees them. */
    private static String evalInSh(String lines) throws Exception {
        Process sh = new ProcessBuilder("sh", "-c", "eval \"$1\"; printf '%s|%s|%s|%s|%s|%s' \"$HTTP_PROXY\" \"$http_proxy\" "
                + "\"$HTTPS_PROXY\" \"$https_proxy\" \"$NO_PROXY\" \"$no_proxy\"", "sh", lines).redirectErrorStream(true).start();
        String seen = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sh.waitFor()).isZero();
        return seen;
    }

    @Test
    void shLinesSetBothCasesToTheListenerOfTheSameSettingsAsRun() throws Exception {
        CliRun set = env(Map.of(), "--listen", "127.0.0.1:3130");
        assertThat(set.exit()).isZero();
        String url = "http://127.0.0.1:3130";
        assertThat(evalInSh(set.out())).isEqualTo(String.join("|", url, url, url, url, EnvCommand.NO_PROXY, EnvCommand.NO_PROXY));

        CliRun unset = env(Map.of(), "--unset");
        assertThat(evalInSh(set.out() + unset.out())).isEqualTo("|||||");
    }

    @Test
    void aWildcardListenerIsNamedByLoopbackAndTheConfigFileIsRead(@TempDir Path dir) throws Exception {
        assertThat(evalInSh(env(Map.of(), "--listen", "0.0.0.0:3131", "--allow", "10.0.0.0/8").out())).startsWith("http://127.0.0.1:3131|");
        assertThat(evalInSh(env(Map.of(), "--listen", "[::]:3131", "--allow", "fd00::/8").out())).startsWith("http://[::1]:3131|");
        Path yaml = dir.resolve("gangway.yaml");
        Files.writeString(yaml, "listen: 127.0.0.1:3140\n");
        assertThat(evalInSh(env(Map.of("GANGWAY_CONFIG", yaml.toString())).out())).startsWith("http://127.0.0.1:3140|");
    }

    @Test
    void shQuotingKeepsAValueLiteral() throws Exception {
        String tricky = "http://127.0.0.1:3128/it's$HOME`x`";
        String lines = String.join("\n", ShellEnv.SH.set(Map.of("HTTP_PROXY", tricky, "HTTPS_PROXY", "", "NO_PROXY", "")));
        assertThat(evalInSh(lines)).startsWith(tricky + "|" + tricky + "|");
    }

    @Test
    void windowsShellsGetOneCaseInTheirOwnSyntax() {
        assertThat(env(Map.of(), "--shell", "powershell").out().lines())
                .containsExactly("$env:HTTP_PROXY = 'http://127.0.0.1:3128'", "$env:HTTPS_PROXY = 'http://127.0.0.1:3128'",
                        "$env:NO_PROXY = 'localhost,127.0.0.1,::1'");
        assertThat(env(Map.of(), "--shell", "cmd", "--unset").out().lines())
                .containsExactly("set HTTP_PROXY=", "set HTTPS_PROXY=", "set NO_PROXY=");
        assertThat(env(Map.of(), "--shell", "fish").out().lines()).contains("set -gx no_proxy 'localhost,127.0.0.1,::1'");
        CliRun bad = env(Map.of(), "--shell", "tcsh");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown shell 'tcsh'");
    }

    @Test
    void containersGetTheBridgeAddressOfTheirListenerElseHttpDockerInternal() throws Exception {
        assertThat(evalInSh(env(Map.of(), "--for", "containers", "--containers-listen", "198.18.0.1:3133",
                "--allow", "198.18.0.0/24").out())).startsWith("http://198.18.0.1:3133|");
        assertThat(evalInSh(env(Map.of(), "--for", "containers", "--containers-listen", "0.0.0.0:3134",
                "--allow", "198.18.0.0/24").out())).startsWith("http://http.docker.internal:3134|");
        assertThat(evalInSh(env(Map.of(), "--for", "containers").out())).startsWith("http://http.docker.internal:3128|");
        assertThat(evalInSh(env(Map.of(), "--for", "containers", "--proxy-url", "http://172.17.0.1:3128").out()))
                .startsWith("http://172.17.0.1:3128|");
        CliRun withUser = env(Map.of(), "--proxy-url", "http://bob:pw@172.17.0.1:3128");
        assertThat(withUser.exit()).isEqualTo(2);
        assertThat(withUser.err()).contains("names a user").doesNotContain("pw@");
        assertThat(env(Map.of(), "--for", "ships").err()).contains("expected host or containers");
    }

    @Test
    void explainSaysWhoWouldMisreadEachConfiguredEntry() {
        CliRun r = env(Map.of("NO_PROXY", "10.0.0.0/8"), "--explain", "--no-proxy", ".corp.example,*,intranet:8080");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(".corp.example: subdomains of corp.example DIRECT, not corp.example itself; curl and Python")
                .contains("*: everything DIRECT; wget and Ruby would still use the proxy")
                .contains("intranet:8080: the host and its subdomains DIRECT on port 8080; with a port, curl and wget would ignore")
                .contains("This shell's NO_PROXY:\n  10.0.0.0/8: addresses in the range DIRECT; wget and Python's urllib");
        assertThat(env(Map.of(), "--explain").out()).contains("(none configured)");
    }

    @Test
    void dockerConfigMergesTheProxiesKeepingEveryOtherKeyTheModeAndABackup(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        String original = "{\"auths\":{\"registry.example\":{\"auth\":\"eDp5\"}},\"credsStore\":\"pass\","
                + "\"proxies\":{\"default\":{\"ftpProxy\":\"ftp://keep\"},\"tcp://other:2376\":{\"httpProxy\":\"http://o\"}}}";
        Files.writeString(config, original);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));

        CliRun printed = env(Map.of("DOCKER_CONFIG", dir.toString()), "--docker-config", "--containers-listen", "198.18.0.1:3135",
                "--allow", "198.18.0.0/24");
        assertThat(printed.exit()).isZero();
        assertThat(Files.readString(config)).isEqualTo(original); // printing writes nothing

        CliRun written = env(Map.of("DOCKER_CONFIG", dir.toString()), "--docker-config", "--write",
                "--containers-listen", "198.18.0.1:3135", "--allow", "198.18.0.0/24");
        assertThat(written.exit()).as(written.err()).isZero();
        assertThat(written.out()).contains("proxies set to http://198.18.0.1:3135").contains("config.json.bak");
        assertThat(Files.readString(config)).isEqualTo(printed.out());
        JsonNode root = JSON.readTree(config.toFile());
        JsonNode expected = JSON.readTree("{\"auths\":{\"registry.example\":{\"auth\":\"eDp5\"}},\"credsStore\":\"pass\","
                + "\"proxies\":{\"default\":{\"ftpProxy\":\"ftp://keep\",\"httpProxy\":\"http://198.18.0.1:3135\","
                + "\"httpsProxy\":\"http://198.18.0.1:3135\",\"noProxy\":\"localhost,127.0.0.1,::1\"},"
                + "\"tcp://other:2376\":{\"httpProxy\":\"http://o\"}}}");
        assertThat(root).isEqualTo(expected);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-r-----");
        assertThat(Files.readString(dir.resolve("config.json.bak"))).isEqualTo(original);
        assertThat(leftovers(dir)).containsExactlyInAnyOrder("config.json", "config.json.bak");

        CliRun again = env(Map.of("DOCKER_CONFIG", dir.toString()), "--docker-config", "--write",
                "--containers-listen", "198.18.0.1:3135", "--allow", "198.18.0.0/24");
        assertThat(again.out()).contains("unchanged");

        CliRun removed = env(Map.of("DOCKER_CONFIG", dir.toString()), "--docker-config", "--write", "--unset");
        assertThat(removed.exit()).isZero();
        assertThat(JSON.readTree(config.toFile())).isEqualTo(JSON.readTree(original));
    }

    @Test
    void aSymlinkedConfigIsReplacedWhereItLives(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("dotfiles")).resolve("docker.json");
        Files.writeString(real, "{}");
        Path link = Files.createSymbolicLink(dir.resolve("config.json"), real);
        assertThat(env(Map.of(), "--docker-config", link.toString(), "--write").exit()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(JSON.readTree(real.toFile()).at("/proxies/default/httpProxy").asText()).isEqualTo("http://http.docker.internal:3128");
    }

    @Test
    void brokenJsonIsReportedAndLeftAsItIs(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config.json");
        for (String broken : List.of("{\"auths\": {", "[1,2]", "{\"proxies\": \"yes\"}")) {
            Files.writeString(config, broken);
            CliRun r = env(Map.of(), "--docker-config", config.toString(), "--write");
            assertThat(r.exit()).as(broken).isEqualTo(2);
            assertThat(r.err()).contains(config.toString()).contains("left as it is");
            assertThat(Files.readString(config)).isEqualTo(broken);
            assertThat(leftovers(dir)).containsExactly("config.json");
        }
    }

    @Test
    void daemonJsonAndTheSystemdDropinNameTheEngineListener(@TempDir Path dir) throws Exception {
        Path daemon = dir.resolve("docker/daemon.json");
        CliRun r = env(Map.of(), "--daemon-json", daemon.toString(), "--write", "--listen", "127.0.0.1:3136");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(a new file)");
        assertThat(r.err()).contains("systemctl restart docker");
        JsonNode proxies = JSON.readTree(daemon.toFile()).get("proxies");
        assertThat(proxies.get("http-proxy").asText()).isEqualTo("http://127.0.0.1:3136");
        assertThat(proxies.get("https-proxy").asText()).isEqualTo("http://127.0.0.1:3136");
        assertThat(proxies.get("no-proxy").asText()).isEqualTo(EnvCommand.NO_PROXY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon))).isEqualTo("rw-r--r--");

        Path dropin = dir.resolve("docker.service.d/http-proxy.conf");
        assertThat(env(Map.of(), "--systemd-dropin", dropin.toString(), "--write").exit()).isZero();
        assertThat(Files.readAllLines(dropin)).contains("[Service]",
                "Environment=\"HTTP_PROXY=http://127.0.0.1:3128\" \"HTTPS_PROXY=http://127.0.0.1:3128\" "
                        + "\"NO_PROXY=localhost,127.0.0.1,::1\"");
        assertThat(env(Map.of(), "--systemd-dropin", dropin.toString(), "--write", "--unset").out()).contains("removed");
        assertThat(dropin).doesNotExist();
    }

    @Test
    void contradictoryOptionsAreRefused() {
        assertThat(env(Map.of(), "--write").err()).contains("give --docker-config, --daemon-json or --systemd-dropin");
        assertThat(env(Map.of(), "--docker-config", "--daemon-json").err()).contains("give one of");
        assertThat(env(Map.of(), "--listen", "nonsense").exit()).isEqualTo(2);
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
