package io.gangway.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.RawServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT tunnels: HTTPS DIRECT and chained, servers that speak first, half-close. */
class TunnelTest extends DirectAndChained {


    @ParameterizedTest
    @ValueSource(strings = {"direct", "chained"})
    void httpsThroughConnect(String route) throws Exception {
        byte[] body = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(body);
        origin.wireMock().stubFor(get("/tls").willReturn(aResponse().withStatus(200).withBody(body)));
        int before = upstream.requests();
        try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
            for (int i = 0; i < 3; i++) {
                byte[] got = client.execute(new HttpGet(origin.https("/tls")), r -> EntityUtils.toByteArray(r.getEntity()));
                assertThat(got).isEqualTo(body);
            }
        }
        // one tunnel carried the three requests; chained, the upstream saw exactly one CONNECT
        assertThat(upstream.requests() - before).isEqualTo(route.equals("chained") ? 1 : 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"direct", "chained"})
    void jdkClientOverTls(String route) throws Exception {
        origin.wireMock().stubFor(get("/jdk-tls").willReturn(aResponse().withStatus(200).withBody("secure")));
        var response = ProxiedClients.jdk(gangway(route).port()).send(
                java.net.http.HttpRequest.newBuilder(URI.create(origin.https("/jdk-tls"))).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("secure");
    }

    @Test
    void serverThatSpeaksFirst() throws Exception {
        // Like SSH: the server greets before the client says anything, then echoes a line.
        try (RawServer server = new RawServer((socket, in, out) -> {
            out.write("SSH-2.0-fake\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write(in.readNBytes(6));
        })) {
            assertGreetingThenEcho(direct, server.port());
        }
        direct.awaitNoOpenConnections(Duration.ofSeconds(5));
    }

    @Test
    void bytesRightAfterTheUpstreamsConnectAnswerAreKept() throws Exception {
        // An upstream proxy whose 200 and the server's first bytes arrive in one segment.
        // (LittleProxy drops a greeting that comes before its tunnel is set up, so a raw peer.)
        try (RawServer proxy = new RawServer((socket, in, out) -> {
            assertThat(RawServer.readHead(in)).startsWith("CONNECT 127.0.0.1:2222 ");
            out.write("HTTP/1.1 200 Connection established\r\n\r\nSSH-2.0-fake\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write(in.readNBytes(6));
        });
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + proxy.port()).start()) {
            assertGreetingThenEcho(gangway, 2222);
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    private static void assertGreetingThenEcho(RunningGangway gangway, int port) throws Exception {
        try (Socket socket = connect(gangway, port)) {
            InputStream in = socket.getInputStream();
            assertThat(new String(in.readNBytes(14), StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-fake\r\n");
            socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("hello\n");
        }
    }

    @Test
    void halfCloseIsPassedOn() throws Exception {
        // The client shuts its output; the server still answers, then closes. (LittleProxy, the
        // chained upstream of these tests, does not keep half-closed tunnels, so DIRECT only.)
        try (RawServer server = new RawServer((socket, in, out) -> {
            byte[] all = in.readAllBytes();
            out.write(("got " + all.length + " bytes, bye").getBytes(StandardCharsets.US_ASCII));
        })) {
            try (Socket socket = connect(direct, server.port())) {
                socket.getOutputStream().write(new byte[100_000]);
                socket.shutdownOutput();
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("got 100000 bytes, bye");
            }
        }
        direct.awaitNoOpenConnections(Duration.ofSeconds(5));
    }

    /** A raw socket with an established tunnel to 127.0.0.1:port. */
    private static Socket connect(RunningGangway gangway, int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", gangway.port());
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(RawServer.readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        return socket;
    }

    @Test
    void connectToAClosedPortGives502WithTheReason() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", direct.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("CONNECT 127.0.0.1:1 HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 502").contains("connection refused")
                    .contains("Proxy-Status: gangway; error=destination_unavailable");
        }
    }

    @Test
    void tunnelsCloseWhenIdle() throws Exception {
        try (RawServer silent = new RawServer((socket, in, out) -> in.readAllBytes());
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.IDLE_TIMEOUT, "300ms").start();
             Socket socket = new Socket("127.0.0.1", gangway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("CONNECT 127.0.0.1:" + silent.port() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(RawServer.readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }
}
