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
    void aWildcardListenerIsNamedByAnAddressTheAllowListAdmits(@TempDir Path dir) throws Exception {
        assertThat(evalInSh(env(Map.of(), "--listen", "0.0.0.0:3131", "--allow", "127.0.0.1/32,10.0.0.0/8").out()))
                .startsWith("http://127.0.0.1:3131|");
        assertThat(evalInSh(env(Map.of(), "--listen", "[::]:3131", "--allow", "::1/128").out())).startsWith("http://[::1]:3131|");
        CliRun none = env(Map.of(), "--listen", "0.0.0.0:3131", "--allow", "198.18.250.0/24");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("admits no address of this machine").contains("--proxy-url");
        CliRun outside = env(Map.of(), "--listen", "127.0.0.1:3131", "--allow", "198.18.250.0/24");
        assertThat(outside.exit()).isZero();
        assertThat(outside.err()).contains("warning: clients connecting from 127.0.0.1 are not in --allow");
        CliRun zero = env(Map.of(), "--listen", "127.0.0.1:0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("port 0");
    }

    @Test
    void theSettingsAreReadAsRunReadsThemButNoSecret(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("gangway.yaml");
        // a system file whose password file this user may not read (here: does not exist)
        Files.writeString(yaml, "listen: 127.0.0.1:3140\nupstream: http://proxy.corp.example:8080\nuser: bob\n"
                + "password-file: " + dir.resolve("unreadable") + "\n");
        CliRun r = env(Map.of("GANGWAY_CONFIG", yaml.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(evalInSh(r.out())).startsWith("http://127.0.0.1:3140|");
        CliRun unset = env(Map.of(), "--unset", "--listen", "bogus"); // unsetting needs no settings at all
        assertThat(unset.exit()).isZero();
        assertThat(env(Map.of(), "--listen", "bogus").exit()).isEqualTo(2);
    }

    @Test
    void shQuotingKeepsAValueLiteral() throws Exception {
        String tricky = "http://127.0.0.1:3128/it's$HOME`x`";
        String lines = String.join("\n", ShellEnv.SH.set(Map.of("HTTP_PROXY", tricky, "HTTPS_PROXY", "", "NO_PROXY", "")));
        assertThat(evalInSh(lines)).startsWith(tricky + "|" + tricky + "|");
    }

    @Test
    void otherShellsGetTheirOwnSyntax() {
        assertThat(env(Map.of(), "--shell", "powershell").out().lines())
                .containsExactly("$env:HTTP_PROXY = 'http://127.0.0.1:3128'", "$env:http_proxy = 'http://127.0.0.1:3128'",
                        "$env:HTTPS_PROXY = 'http://127.0.0.1:3128'", "$env:https_proxy = 'http://127.0.0.1:3128'",
                        "$env:NO_PROXY = 'localhost,127.0.0.1,::1'", "$env:no_proxy = 'localhost,127.0.0.1,::1'");
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
        for (String leaky : List.of("http://bob:s3cret@172.17.0.1:3128", "http://bob:s3 cret@host:3128", "bob:s3cret@host:3128",
                "http://bob:s3cret@/", "http://bob:s3cret%zz@host:1")) {
            CliRun withUser = env(Map.of(), "--proxy-url", leaky);
            assertThat(withUser.exit()).as(leaky).isEqualTo(2);
            assertThat(withUser.err()).as(leaky).contains("names a user").doesNotContain("s3");
        }
        assertThat(env(Map.of(), "--proxy-url", "http://host:99999").err()).contains("a port in 1..65535");
        assertThat(env(Map.of(), "--for", "ships").err()).contains("expected host or containers");
        CliRun loopback = env(Map.of(), "--for", "containers");
        assertThat(loopback.err()).contains("is loopback, which containers cannot reach").contains("--add-host");
    }

    @Test
    void explainSaysWhoWouldMisreadEachConfiguredEntry() {
        CliRun r = env(Map.of("NO_PROXY", "ignored.example", "no_proxy", "10.0.0.0/8"), "--explain",
                "--no-proxy", ".corp.example,*,intranet:8080");
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(".corp.example: Gangway sends subdomains only DIRECT; read otherwise by curl 7.88: also the domain "
                        + "itself; Python urllib 3.11: also the domain itself; requests 2.34: also the domain itself")
                .contains("*: Gangway sends everything DIRECT; read otherwise by wget 1.21: no bypass at all; Ruby: no bypass")
                .contains("intranet:8080: Gangway sends the host and its subdomains, that port only DIRECT; read otherwise by "
                        + "curl 7.88: ignores the entry; wget 1.21: ignores the entry")
                // lower case wins, as Gangway and curl read the variables
                .contains("This shell's NO_PROXY:\n  10.0.0.0/8: Gangway sends addresses in the range DIRECT")
                .doesNotContain("ignored.example");
        assertThat(env(Map.of(), "--explain").out()).contains("(none configured)");
    }

    @Test
    void everyFormOfTheTableIsRecognisedByItsOwnExample() {
        for (NoProxyClients.Form form : NoProxyClients.Form.values()) {
            assertThat(NoProxyClients.formOf(form.example)).as(form.example).isEqualTo(form);
        }
    }

    @Test
    void theUserGuideShowsTheTableThatExplainUses() throws Exception {
        Path guide = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("user-guide.md");
        assertThat(Files.readString(guide)).contains(NoProxyClients.markdownTable());
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
        assertThat(written.err()).doesNotContain("warning");
        assertThat(Files.readString(config)).isEqualTo(printed.out());
        JsonNode root = JSON.readTree(config.toFile());
        JsonNode expected = JSON.readTree("{\"auths\":{\"registry.example\":{\"auth\":\"eDp5\"}},\"credsStore\":\"pass\","
                + "\"proxies\":{\"default\":{\"ftpProxy\":\"ftp://keep\",\"httpProxy\":\"http://198.18.0.1:3135\","
                + "\"httpsProxy\":\"http://198.18.0.1:3135\",\"noProxy\":\"localhost,127.0.0.1,::1\"},"
                + "\"tcp://other:2376\":{\"httpProxy\":\"http://o\"}}}");
        assertThat(root).isEqualTo(expected);
        assertThat(fieldNames(root)).containsExactly("auths", "credsStore", "proxies"); // in their order
        assertThat(fieldNames(root.get("proxies"))).containsExactly("default", "tcp://other:2376");
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
        for (String broken : List.of("{\"auths\": {", "[1,2]", "{\"proxies\": \"yes\"}", "{\"auths\": {}}\n{\"credsStore\": \"x\"}",
                "{\"credsStore\": \"a\", \"credsStore\": \"b\"}")) {
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

    @Test
    void nothingToRemoveWritesNothing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("sub/config.json");
        CliRun r = env(Map.of(), "--docker-config", missing.toString(), "--write", "--unset");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("does not exist; no proxies to remove");
        assertThat(dir.resolve("sub")).doesNotExist();

        Path plain = Files.writeString(dir.resolve("config.json"), "{\"auths\": {}}");
        CliRun unchanged = env(Map.of(), "--docker-config", plain.toString(), "--write", "--unset");
        assertThat(unchanged.out()).contains("unchanged (it has no proxies to remove)");
        assertThat(Files.readString(plain)).isEqualTo("{\"auths\": {}}");
        assertThat(leftovers(dir)).containsExactly("config.json");

        assertThat(env(Map.of(), "--docker-config", plain.toString()).out()).contains("\t\"auths\": {},\n");
    }

    @Test
    void aDanglingSymlinkIsFollowedToTheFileItNames(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("dotfiles")).resolve("docker.json");
        Path link = Files.createSymbolicLink(dir.resolve("config.json"), real);
        assertThat(env(Map.of(), "--docker-config", link.toString(), "--write").exit()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(JSON.readTree(real.toFile()).at("/proxies/default/noProxy").asText()).isEqualTo(EnvCommand.NO_PROXY);
    }

    @Test
    void aUsersOwnDropinIsKeptAndNeverRemoved(@TempDir Path dir) throws Exception {
        Path dropin = Files.writeString(dir.resolve("http-proxy.conf"), "[Service]\nEnvironment=\"HTTP_PROXY=http://old:3128\"\n");
        CliRun refused = env(Map.of(), "--systemd-dropin", dropin.toString(), "--write", "--unset");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("was not written by gangway env");
        assertThat(Files.readString(dropin)).contains("http://old:3128");

        assertThat(env(Map.of(), "--systemd-dropin", dropin.toString(), "--write").out()).contains("the file before is");
        assertThat(env(Map.of(), "--systemd-dropin", dropin.toString(), "--write").out()).contains("unchanged");
        assertThat(env(Map.of(), "--systemd-dropin", dropin.toString(), "--write", "--listen", "127.0.0.1:3999").exit()).isZero();
        assertThat(Files.readString(dir.resolve("http-proxy.conf.bak"))).as("the user's own, not Gangway's earlier one")
                .contains("http://old:3128");
        CliRun percent = env(Map.of(), "--systemd-dropin", "--proxy-url", "http://[fe80::1%25eth0]:3128");
        assertThat(percent.out()).contains("HTTP_PROXY=http://[fe80::1%%25eth0]:3128");
    }

    private static List<String> leftovers(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }

    /** A node's field names, in the order the file has them. */
    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
