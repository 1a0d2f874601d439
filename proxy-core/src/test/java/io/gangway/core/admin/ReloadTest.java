package io.gangway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gangway.core.RunningGangway;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /reload over real sockets: new settings for new connections and requests, the tunnel
 * that was open carries on, a dropped listener closes, an added one opens, and an invalid
 * configuration changes nothing.
 */
class ReloadTest {

    private static Origin origin;

    @TempDir
    Path temp;

    @BeforeAll
    static void startOrigin() {
        origin = Origin.answering("reloaded");
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @Test
    void aReloadChangesWhatNewRequestsGetAndLeavesOpenTunnelsAlone() throws Exception {
        int first = AdminEndpointTest.freePort();
        int second = AdminEndpointTest.freePort();
        Path yaml = temp.resolve("gangway.yaml");
        try (ServerSocket echo = echoServer();
             UpstreamProxy before = UpstreamProxy.open();
             UpstreamProxy after = UpstreamProxy.open()) {
            Files.writeString(yaml, "listen: 127.0.0.1:" + first + "\nadmin: 127.0.0.1:0\nupstream: " + before.url(null) + "\n");
            try (RunningGangway gangway = RunningGangway.builder().config(yaml).start()) {
                int admin = gangway.adminPort();
                get(ProxiedClients.jdk(first), "/before");
                assertThat(before.requests()).isEqualTo(1);
                try (Socket tunnel = connect(first, echo.getLocalPort())) {
                    assertThat(echoes(tunnel, "one")).isTrue();

                    Files.writeString(yaml, "listen: 127.0.0.1:" + second + "\nadmin: 127.0.0.1:0\nupstream: "
                            + after.url(null) + "\nmax-headers: 5\n");
                    HttpResponse<String> reload = AdminEndpointTest.admin(admin, "POST", "/reload");
                    assertThat(reload.statusCode()).isEqualTo(200);
                    assertThat(reload.body()).contains("\"applied\" : true").contains("now also listening on 127.0.0.1:" + second)
                            .contains("stopped listening on 127.0.0.1:" + first);

                    assertThat(echoes(tunnel, "two")).as("the tunnel opened before the reload").isTrue();
                    assertThat(get(ProxiedClients.jdk(second), "/after")).isEqualTo(200);
                    assertThat(after.requests()).as("new requests take the new upstream").isEqualTo(1);
                    assertThat(before.requests()).as("the GET and the CONNECT before the reload").isEqualTo(2);
                    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), first).close())
                            .isInstanceOf(ConnectException.class);
                    try (Socket many = new Socket(InetAddress.getLoopbackAddress(), second)) {
                        many.setSoTimeout(10_000);
                        many.getOutputStream().write(("GET " + origin.http("/many") + " HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n"
                                + "C: 3\r\nD: 4\r\nE: 5\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        assertThat(new String(many.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
                                .as("the new limit").isEqualTo("HTTP/1.1 431");
                    }

                    Files.writeString(yaml, "listen: 127.0.0.1:" + first + "\nadmin: 127.0.0.1:0\nupstream: "
                            + before.url(null) + "\nidle-timeout: soon\n");
                    HttpResponse<String> refused = AdminEndpointTest.admin(admin, "POST", "/reload");
                    assertThat(refused.statusCode()).isEqualTo(422);
                    assertThat(refused.body()).contains("\"applied\" : false").contains("nothing changed")
                            .contains("line 4: 'idle-timeout'");
                    assertThat(get(ProxiedClients.jdk(second), "/still-after")).isEqualTo(200);
                    assertThat(after.requests()).as("the configuration in force stayed").isEqualTo(2);
                    JsonNode last = AdminEndpointTest.status(admin).path("lastReload");
                    assertThat(last.path("applied").asBoolean()).isFalse();
                    assertThat(last.path("message").asText()).contains("idle-timeout");
                    assertThat(echoes(tunnel, "three")).isTrue();
                }
            }
        }
    }

    @Test
    void aRequestUnderWayFinishesOnTheRouteItStartedWith() throws Exception {
        origin.wireMock().stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/slow").willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFixedDelay(1500).withBody("slow but whole")));
        int port = AdminEndpointTest.freePort();
        Path yaml = temp.resolve("gangway.yaml");
        try (UpstreamProxy before = UpstreamProxy.open()) {
            Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:0\nupstream: " + before.url(null) + "\n");
            try (RunningGangway gangway = RunningGangway.builder().config(yaml).start()) {
                java.util.concurrent.CompletableFuture<HttpResponse<String>> slow = ProxiedClients.jdk(port).sendAsync(
                        HttpRequest.newBuilder(URI.create(origin.http("/slow"))).build(), HttpResponse.BodyHandlers.ofString());
                long deadline = System.currentTimeMillis() + 10_000;
                while (before.requests() == 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10); // the request is at the upstream, waiting for the origin
                }
                Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:0\nrouting: direct\n");
                assertThat(AdminEndpointTest.admin(gangway.adminPort(), "POST", "/reload").statusCode()).isEqualTo(200);
                assertThat(slow.isDone()).as("still under way at the reload").isFalse();
                HttpResponse<String> answer = slow.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("slow but whole");
                assertThat(before.requests()).isEqualTo(1);
                assertThat(get(ProxiedClients.jdk(port), "/now-direct")).isEqualTo(200);
                assertThat(before.requests()).as("the new routing: DIRECT").isEqualTo(1);
            }
        }
    }

    @Test
    void aListenerThatCannotBeBoundChangesNothing() throws Exception {
        int kept = AdminEndpointTest.freePort();
        Path yaml = temp.resolve("gangway.yaml");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.writeString(yaml, "listen: 127.0.0.1:" + kept + "\nadmin: 127.0.0.1:0\nrouting: direct\n");
            try (RunningGangway gangway = RunningGangway.builder().config(yaml).start()) {
                Files.writeString(yaml, "listen: [127.0.0.1:" + kept + ", 127.0.0.1:" + taken.getLocalPort()
                        + "]\nadmin: 127.0.0.1:0\nupstream: http://127.0.0.1:1\n");
                HttpResponse<String> r = AdminEndpointTest.admin(gangway.adminPort(), "POST", "/reload");
                assertThat(r.statusCode()).isEqualTo(422);
                assertThat(r.body()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
                assertThat(get(ProxiedClients.jdk(kept), "/direct-still")).as("still DIRECT, not the new upstream")
                        .isEqualTo(200);
            }
        }
    }

    private static int get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(origin.http(path))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Socket connect(int proxyPort, int targetPort) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("CONNECT 127.0.0.1:" + targetPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + targetPort
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the CONNECT answer: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 200");
        return s;
    }

    private static boolean echoes(Socket tunnel, String text) throws IOException {
        byte[] bytes = (text + "\n").getBytes(StandardCharsets.US_ASCII);
        tunnel.getOutputStream().write(bytes);
        return new String(tunnel.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII).equals(text + "\n");
    }

    /** A TCP echo server on loopback, one thread per connection. */
    private static ServerSocket echoServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread copy = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    copy.setDaemon(true);
                    copy.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        accept.setDaemon(true);
        accept.start();
        return server;
    }

    @Test
    void theAdminListenerMovedByAReloadStaysOutOfTheProxysReach() throws Exception {
        int port = AdminEndpointTest.freePort();
        int adminBefore = AdminEndpointTest.freePort();
        int adminAfter = AdminEndpointTest.freePort();
        Path yaml = temp.resolve("gangway.yaml");
        Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:" + adminBefore + "\nrouting: direct\n");
        try (RunningGangway gangway = RunningGangway.builder().config(yaml).start()) {
            Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:" + adminAfter + "\nrouting: direct\n");
            assertThat(AdminEndpointTest.admin(adminBefore, "POST", "/reload").statusCode()).isEqualTo(200);
            HttpResponse<String> through = ProxiedClients.jdk(port).send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + adminAfter + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(through.statusCode()).as("the moved admin listener is still shielded").isEqualTo(403);
            assertThat(AdminEndpointTest.admin(adminAfter, "GET", "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aConnectionKeptAliveFromAClientTheNewAllowListRefusesGetsNoMoreRequests() throws Exception {
        int port = AdminEndpointTest.freePort();
        Path yaml = temp.resolve("gangway.yaml");
        Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:0\nrouting: direct\n");
        try (RunningGangway gangway = RunningGangway.builder().config(yaml).start();
             Socket kept = new Socket(InetAddress.getLoopbackAddress(), port)) {
            kept.setSoTimeout(10_000);
            String get = "GET " + origin.http("/kept") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            kept.getOutputStream().write(get.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(kept.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
            drainResponse(kept.getInputStream());
            Files.writeString(yaml, "listen: 127.0.0.1:" + port + "\nadmin: 127.0.0.1:0\nrouting: direct\nallow: 127.0.0.2/32\n");
            assertThat(AdminEndpointTest.admin(gangway.adminPort(), "POST", "/reload").statusCode()).isEqualTo(200);
            kept.getOutputStream().write(get.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(new String(kept.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 403");
        }
    }

    /** Reads one response: its head, and a Content-Length or chunked body. */
    private static void drainResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        if (m.find()) {
            in.readNBytes(Integer.parseInt(m.group(1)));
            return;
        }
        StringBuilder body = new StringBuilder(); // chunked: up to the last chunk
        while (!body.toString().endsWith("0\r\n\r\n")) {
            body.append((char) in.read());
        }
    }
}
