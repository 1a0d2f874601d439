package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.harness.RawServer;
import io.gangway.harness.UpstreamProxy;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckAndPacCommandsTest {

    /** As run would be given it: the upstream password in the environment. */
    private static CliRun check(String... args) {
        return CliRun.of(new CommandLine(new CheckCommand(Map.of("GANGWAY_PASSWORD", "Check-Pa55-2026", "HOME", "/nonexistent")).spec()), args);
    }

    private static CliRun gangway(String... args) {
        return CliRun.of(GangwayCli.commandLine(), args);
    }

    @Test
    void pacTestPrintsOneRawLinePerUrlLikePactester(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("p.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) {\n"
                + "  if (isInNet(myIpAddress(), '10.0.0.0', '255.0.0.0') && dnsDomainIs(host, '.corp.example')) return 'DIRECT';\n"
                + "  if (host == 'boom') throw 'no';\n"
                + "  return 'PROXY p.example:8080;  DIRECT';\n}\n");
        Path urls = dir.resolve("urls.txt");
        Files.writeString(urls, "# a comment\nhttp://wiki.corp.example/page\n\nhttps://www.example.org/\n");
        CliRun r = gangway("pac", "test", "--pac", pac.toString(), "--my-ip", "10.1.2.3", "-f", urls.toString(),
                "http://[2001:db8::1]:8080/x");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines()).containsExactly( // the command line's URLs, then the file's
                "http://[2001:db8::1]:8080/x : PROXY p.example:8080;  DIRECT",
                "http://wiki.corp.example/page : DIRECT",
                "https://www.example.org/ : PROXY p.example:8080;  DIRECT");

        CliRun failing = gangway("pac", "test", "-p", pac.toString(), "http://boom/", "http://ok.example/");
        assertThat(failing.exit()).isEqualTo(1);
        assertThat(failing.out().lines()).containsExactly("http://ok.example/ : PROXY p.example:8080;  DIRECT");
        assertThat(failing.err()).contains("http://boom/ : PAC").contains("threw");
    }

    @Test
    void pacTestReportsABrokenScriptAndExits2(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("broken.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) { return 'DIRECT' ");
        CliRun r = gangway("pac", "test", "-p", pac.toString(), "http://x/");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("syntax error in PAC").contains("broken.pac");
    }

    @Test
    void checkShowsTheSourceThePacAnswerThePlanAndTheAccount(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("c.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) { return 'PROXY 127.0.0.1:3129; DIRECT; nonsense'; }");
        CliRun r = check("https://registry-1.docker.io/v2/", "--pac", pac.toString(), "--user", "CORP\\alice");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("URL:      https://registry-1.docker.io/")
                .contains("source:   pac " + pac)
                .contains("= \"PROXY 127.0.0.1:3129; DIRECT; nonsense\"")
                .contains("warning: skipped 'nonsense'")
                .contains("plan:     PROXY 127.0.0.1:3129; DIRECT")
                .contains("account:  PROXY 127.0.0.1:3129 as CORP\\alice");
    }

    @Test
    void checkConnectSaysWhichRoutesAnswerAndWhatTheyAskFor() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        try (UpstreamProxy upstream = UpstreamProxy.basic("bob", "Check-Pa55-2026")) {
            CliRun r = check("http://example.invalid/", "--upstream", "http://127.0.0.1:" + dead,
                    "--upstream", "http://bob@127.0.0.1:" + upstream.port(), "--connect");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("try:      PROXY 127.0.0.1:" + dead + ": no answer")
                    .contains("try:      PROXY 127.0.0.1:" + upstream.port() + ": connected in")
                    .contains("answers 407").contains("asks for basic; Gangway would answer with basic");
            assertThat(upstream.loginsRejected()).isZero(); // the probe sent no credentials
        }
    }

    @Test
    void checkConnectReadsSeveralSchemesOfferedInOneField() throws Exception {
        try (RawServer upstream = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM, Negotiate\r\n"
                    + "Proxy-Authenticate: Basic realm=\"corp, main\"\r\nContent-Length: 0\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        })) {
            CliRun r = check("https://example.invalid/", "--upstream", "http://127.0.0.1:" + upstream.port(), "--connect");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("asks for ntlm, negotiate, basic; Gangway would answer with negotiate");
        }
    }

    @Test
    void checkNamesTheProfileAndUsesItsSettings() {
        CliRun engine = check("http://example.invalid/", "--upstream", "http://corp-proxy.invalid:8080",
                "--containers-upstream", "http://egress.invalid:3128", "--containers-user", "builder");
        assertThat(engine.exit()).isZero();
        assertThat(engine.out()).contains("profile:  engine").contains("plan:     PROXY corp-proxy.invalid:8080");
        CliRun containers = check("http://example.invalid/", "--profile", "containers", "--upstream",
                "http://corp-proxy.invalid:8080", "--containers-upstream", "http://egress.invalid:3128",
                "--containers-user", "builder");
        assertThat(containers.exit()).isZero();
        assertThat(containers.out()).contains("profile:  containers").contains("plan:     PROXY egress.invalid:3128")
                .contains("account:  PROXY egress.invalid:3128 as builder");
        assertThat(check("http://example.invalid/", "--profile", "sideways").err()).contains("expected engine or containers");
    }

    @Test
    void checkRefusesAUrlWithoutAHost() {
        CliRun r = check("http:///nohost");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no host");
    }

    @Test
    void checkRefusesWhatRunWouldRefuse() {
        assertThat(check("ftp://files.example/x").err()).contains("cannot check 'ftp://files.example/x'");
        CliRun noPassword = CliRun.of(new CommandLine(new CheckCommand(Map.of("HOME", "/nonexistent")).spec()),
                "http://example.invalid/", "--upstream", "http://127.0.0.1:3129", "--user", "CORP\\alice");
        assertThat(noPassword.exit()).isEqualTo(2);
        assertThat(noPassword.err()).contains("user 'CORP\\alice' has no password");
    }

    @Test
    void theConfigFileIsFoundWithoutAFlag(@TempDir Path dir) throws Exception {
        Path xdg = dir.resolve("xdg");
        Files.createDirectories(xdg.resolve("gangway"));
        Files.writeString(xdg.resolve("gangway/gangway.yaml"), "upstream: http://from-xdg.invalid:8080\n");
        Path named = dir.resolve("named.yaml");
        Files.writeString(named, "upstream: http://from-variable.invalid:8080\n");
        CliRun byXdg = CliRun.of(new CommandLine(new CheckCommand(Map.of("XDG_CONFIG_HOME", xdg.toString())).spec()),
                "http://example.invalid/");
        assertThat(byXdg.out()).contains("config:   " + xdg.resolve("gangway/gangway.yaml"))
                .contains("plan:     PROXY from-xdg.invalid:8080");
        CliRun byVariable = CliRun.of(new CommandLine(new CheckCommand(Map.of("XDG_CONFIG_HOME", xdg.toString(),
                "GANGWAY_CONFIG", named.toString())).spec()), "http://example.invalid/");
        assertThat(byVariable.out()).contains("config:   " + named).contains("plan:     PROXY from-variable.invalid:8080");
    }

    @Test
    void checkConnectSaysWhatRunWouldDoWithoutAUser() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("bob", "Check-Pa55-2026")) {
            CliRun r = check("http://example.invalid/", "--upstream", "http://127.0.0.1:" + upstream.port(), "--connect");
            assertThat(r.out()).contains("asks for basic; Gangway would answer 502: no user is configured for it");
        }
    }
}
