package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.gangway.harness.audit.TestSecrets;
import io.gangway.core.cli.GangwayCli;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RecordingOrigin;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Client authentication (client-auth-file) over real sockets: a client without the file's user
 * and password gets 407 with the challenge, with them its request reaches a real origin, for
 * plain requests and CONNECT, and the credentials go no further than Gangway: not to the origin,
 * not to the log. The file's entry is made by {@code gangway hash --client}.
 */
class ClientAuthTest {

    private static final String PASSWORD = TestSecrets.record("Gw-Client-Pa55word");
    private static final String RIGHT = basic("alice:" + PASSWORD);
    private static final String WRONG = basic("alice:" + TestSecrets.record("Not-the-Pa55word"));
    /** alice's line, as {@code gangway hash --client alice} printed it. */
    private static String entry;

    @TempDir
    static Path dir;

    @BeforeAll
    static void hashTheClientPasswordWithTheCommand() {
        InputStream stdin = System.in;
        StringWriter out = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            picocli.CommandLine cli = GangwayCli.commandLine();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(new StringWriter()));
            assertThat(cli.execute("hash", "--client", "alice")).isZero();
        } finally {
            System.setIn(stdin);
        }
        entry = out.toString().trim();
        assertThat(entry).startsWith("alice:$pbkdf2-sha256$600000$").doesNotContain(PASSWORD);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static Path authFile(String name, String... lines) throws Exception {
        return Files.writeString(dir.resolve(name), "# clients of this Gangway\n" + String.join("\n", lines) + "\n");
    }

    private static RunningGangway gangway(Path file) throws InterruptedException {
        return RunningGangway.builder().with(ConfigKey.CLIENT_AUTH_FILE, file.toString()).with(ConfigKey.ROUTING, "direct").start();
    }

    private static String get(String url, String authorization) {
        String authority = URI.create(url).getRawAuthority();
        return "GET " + url + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + (authorization == null ? "" : "Proxy-Authorization: " + authorization + "\r\n") + "\r\n";
    }

    private static void assertChallenged(String response) {
        assertThat(response).startsWith("HTTP/1.1 407 Proxy Authentication Required\r\n")
                .contains("\r\nProxy-Authenticate: Basic realm=\"gangway\", charset=\"UTF-8\"\r\n")
                .contains("\r\nProxy-Status: gangway; error=http_request_denied; details=\"client-auth-file\"\r\n")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aPlainRequestNeedsTheUsersPasswordAndTheOriginNeverSeesIt() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("plain", entry));
             RawClient client = new RawClient(gangway.port())) {
            assertChallenged(client.send(get(origin.http("/none"), null)).response());
            // the same connection serves the next try, as curl and browsers send it after a 407
            assertChallenged(client.send(get(origin.http("/wrong"), WRONG)).response());
            assertChallenged(client.send(get(origin.http("/stranger"), basic("mallory:" + PASSWORD))).response());
            assertChallenged(client.send(get(origin.http("/bearer"), "Bearer " + PASSWORD)).response());
            String ok = client.send(get(origin.http("/right"), RIGHT)).response();
            assertThat(ok).startsWith("HTTP/1.1 200").endsWith("/right");
            assertThat(client.send(get(origin.http("/again"), RIGHT)).response()).startsWith("HTTP/1.1 200");

            assertThat(origin.requests()).extracting(RecordingOrigin.Request::target).containsExactly("/right", "/again");
            assertThat(origin.requests()).allSatisfy(r -> assertThat(r.header("Proxy-Authorization")).isEmpty());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInTheirOrderWhileAPasswordIsChecked() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("pipelined", entry));
             RawClient client = new RawClient(gangway.port())) {
            String twice = "Proxy-Authorization: " + RIGHT + "\r\n";
            client.send(get(origin.http("/1"), RIGHT) + get(origin.http("/2"), null) + get(origin.http("/3"), RIGHT)
                    + get(origin.http("/4"), RIGHT).replace(twice, twice + twice) + get(origin.http("/5"), RIGHT));
            assertThat(client.response()).startsWith("HTTP/1.1 200").endsWith("/1");
            assertChallenged(client.response());
            assertThat(client.response()).startsWith("HTTP/1.1 200").endsWith("/3");
            assertChallenged(client.response()); // the header twice: which one counts would be a guess
            assertThat(client.response()).startsWith("HTTP/1.1 200").endsWith("/5");
            assertThat(origin.requests()).extracting(RecordingOrigin.Request::target).containsExactly("/1", "/3", "/5");
        }
    }

    @Test
    void theMetricsCountTheVerdicts() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.CLIENT_AUTH_FILE, authFile("metrics", entry).toString())
                     .with(ConfigKey.ROUTING, "direct").with(ConfigKey.ADMIN, "127.0.0.1:0").start();
             RawClient client = new RawClient(gangway.port())) {
            client.send(get(origin.http("/1"), null)).response();
            client.send(get(origin.http("/2"), WRONG)).response();
            client.send(get(origin.http("/3"), RIGHT)).response();
            client.send(get(origin.http("/4"), RIGHT)).response();
            String metrics = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gangway.adminPort() + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("gangway_client_auth_total{verdict=\"rejected\"} 2.0")
                    .contains("gangway_client_auth_total{verdict=\"accepted\"} 2.0");
        }
    }

    @Test
    void theContainersListenerAsksToo() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.CLIENT_AUTH_FILE, authFile("containers", entry).toString())
                     .with(ConfigKey.ROUTING, "direct").with(ConfigKey.CONTAINERS_LISTEN, "127.0.0.1:0")
                     .withContainers(ConfigKey.ROUTING, "direct").start();
             RawClient client = new RawClient(gangway.port(1))) {
            assertChallenged(client.send(get(origin.http("/c"), null)).response());
            assertThat(client.send(get(origin.http("/c"), RIGHT)).response()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aChangedFileIsReadWithoutAReload() throws Exception {
        Path file = authFile("watched", entry);
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(file);
             RawClient client = new RawClient(gangway.port())) {
            String bob = basic("bob:" + PASSWORD);
            assertChallenged(client.send(get(origin.http("/bob"), bob)).response());
            Files.writeString(file, entry + "\n" + entry.replace("alice:", "bob:") + "\n");
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String answer;
            do {
                Thread.sleep(200);
                answer = client.send(get(origin.http("/bob"), bob)).response();
            } while (!answer.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline);
            assertThat(answer).as("bob is let in once the watcher read the file").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void connectNeedsTheUsersPasswordToo() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("connect", entry));
             RawClient client = new RawClient(gangway.port())) {
            String authority = "127.0.0.1:" + origin.port();
            String connect = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
            assertChallenged(client.send(connect + "\r\n").response());
            assertChallenged(client.send(connect + "Proxy-Authorization: " + WRONG + "\r\n\r\n").response());
            assertThat(client.send(connect + "Proxy-Authorization: " + RIGHT + "\r\n\r\n").response()).startsWith("HTTP/1.1 200");
            String tunnelled = client.send("GET /through-the-tunnel HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").response();
            assertThat(tunnelled).startsWith("HTTP/1.1 200").endsWith("/through-the-tunnel");
            assertThat(origin.requests()).hasSize(1);
            assertThat(origin.requests().get(0).header("Proxy-Authorization")).isEmpty();
        }
    }

    @Test
    void javasHttpClientAuthenticatesAfterTheChallenge() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("java", entry))) {
            HttpClient client = HttpClient.newBuilder()
                    .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", gangway.port())))
                    .authenticator(new Authenticator() {
                        @Override
                        protected PasswordAuthentication getPasswordAuthentication() {
                            return getRequestorType() == RequestorType.PROXY && "gangway".equals(getRequestingPrompt())
                                    ? new PasswordAuthentication("alice", PASSWORD.toCharArray()) : null;
                        }
                    }).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(origin.http("/java")))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("/java");
            assertThat(origin.requests()).singleElement()
                    .satisfies(r -> assertThat(r.header("Proxy-Authorization")).isEmpty());
        }
    }

    @Test
    void aRequestWithABodyAndWrongCredentialsIsAnsweredAndTheConnectionClosed() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("body", entry));
             RawClient client = new RawClient(gangway.port())) {
            String response = client.send("POST " + origin.http("/upload") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Proxy-Authorization: " + WRONG + "\r\nContent-Length: 5\r\n\r\nhello").response();
            assertChallenged(response);
            assertThat(response).contains("\r\nConnection: close\r\n");
            assertThat(client.readToClose()).isEmpty();
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void nothingLoggedHoldsThePasswordItsBase64OrItsHash() throws Exception {
        ch.qos.logback.classic.Logger gangwayLogs = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.gangway");
        Level before = gangwayLogs.getLevel();
        gangwayLogs.setLevel(Level.DEBUG);
        try (AccessLogCapture logs = new AccessLogCapture();
             RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(authFile("logged", entry))) {
            try (RawClient client = new RawClient(gangway.port())) {
                client.send(get(origin.http("/a"), WRONG)).response();
                client.send(get(origin.http("/b"), RIGHT)).response();
                String authority = "127.0.0.1:" + origin.port();
                client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                        + RIGHT + "\r\n\r\n").response();
            }
            logs.awaitAccessLines("CONNECT", 1);
            assertThat(logs.accessLines()).anyMatch(l -> l.contains("407")).anyMatch(l -> l.contains("200"));
            String hash = entry.substring(entry.lastIndexOf('$') + 1);
            for (String secret : List.of(PASSWORD, RIGHT.substring(6), WRONG.substring(6), "Not-the-Pa55word", hash)) {
                assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
            }
        } finally {
            gangwayLogs.setLevel(before);
        }
    }

    @Test
    void aMalformedFileIsAConfigurationErrorNamingTheFileAndLine() throws Exception {
        Path file = authFile("malformed", entry, "bob:Plain-Pa55word");
        assertThatThrownBy(() -> gangway(file)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'client-auth-file'")
                .hasMessageContaining(file + " line 3: expected $pbkdf2-sha256$")
                .hasMessageNotContaining("Plain-Pa55word");
        assertThatThrownBy(() -> gangway(dir.resolve("absent"))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("cannot read " + dir.resolve("absent"));
    }

    @Test
    void aReloadReadsTheFileAgain() throws Exception {
        Path file = authFile("reloaded", entry);
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = gangway(file);
             RawClient client = new RawClient(gangway.port())) {
            assertThat(client.send(get(origin.http("/before"), RIGHT)).response()).startsWith("HTTP/1.1 200");
            Files.writeString(file, "# alice left\n" + entry.replace("alice:", "bob:") + "\n");
            assertThat(gangway.server().reload().applied()).isTrue();
            // alice was remembered as verified: the new file forgets her, on the connection kept alive too
            assertChallenged(client.send(get(origin.http("/alice"), RIGHT)).response());
            assertThat(client.send(get(origin.http("/bob"), basic("bob:" + PASSWORD))).response()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aPublishedPortAsksForNothing() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.CLIENT_AUTH_FILE, authFile("published", entry).toString())
                     .with(ConfigKey.PUBLISH, "127.0.0.1:0:127.0.0.1:" + origin.port()).start();
             RawClient client = new RawClient(gangway.port(1))) {
            // raw TCP to the target: no proxy HTTP in which to ask; --allow is its guard
            assertThat(client.send("GET /published HTTP/1.1\r\nHost: x\r\n\r\n").response()).startsWith("HTTP/1.1 200");
        }
    }
}
