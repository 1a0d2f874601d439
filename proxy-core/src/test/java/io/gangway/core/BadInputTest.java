package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed requests, oversized heads, broken chunking, slow clients, and upstreams that stall,
 * garble or hang up: each gets its documented answer and a clean close, never a hang or a leak.
 */
class BadInputTest {

    private static RawServer okOrigin;
    private static RunningGangway gangway;

    @BeforeAll
    static void start() throws Exception {
        okOrigin = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        });
        gangway = RunningGangway.builder()
                .with(ConfigKey.MAX_REQUEST_LINE, "1KiB")
                .with(ConfigKey.MAX_HEADER_SIZE, "4KiB")
                .with(ConfigKey.MAX_HEADERS, "20")
                .with(ConfigKey.REQUEST_HEAD_TIMEOUT, "500ms")
                .with(ConfigKey.RESPONSE_TIMEOUT, "1s")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        gangway.close();
        okOrigin.close();
    }

    @AfterEach
    void noLeaks() throws InterruptedException {
        gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
    }

    private static String exchange(String request) throws IOException {
        try (RawClient client = new RawClient(gangway.port())) {
            return client.send(request).readToClose();
        }
    }

    @Test
    void garbageRequestLine() throws IOException {
        assertThat(exchange("THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("Proxy-Status: gangway; error=http_request_error");
    }

    @Test
    void originFormRequestIsExplained() throws IOException {
        assertThat(exchange("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")).startsWith("HTTP/1.1 400")
                .contains("this is a proxy");
    }

    @Test
    void connectWithoutAPort() throws IOException {
        assertThat(exchange("CONNECT example.com HTTP/1.1\r\nHost: example.com\r\n\r\n")).startsWith("HTTP/1.1 400").contains("host:port");
    }

    @Test
    void requestLineTooLong() throws IOException {
        assertThat(exchange("GET http://127.0.0.1/" + "a".repeat(2000) + " HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 414")
                .contains("max-request-line");
    }

    @Test
    void headTooLarge() throws IOException {
        assertThat(exchange("GET http://127.0.0.1:" + okOrigin.port() + "/ HTTP/1.1\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431").contains("max-header-size");
    }

    @Test
    void tooManyHeaders() throws IOException {
        StringBuilder request = new StringBuilder("GET http://127.0.0.1:" + okOrigin.port() + "/ HTTP/1.1\r\n");
        for (int i = 0; i < 30; i++) {
            request.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(exchange(request.append("\r\n").toString())).startsWith("HTTP/1.1 431").contains("max-headers");
    }

    @Test
    void brokenChunkedRequestBody() throws IOException {
        try (RawServer sink = new RawServer((socket, in, out) -> in.readAllBytes())) {
            String answer = exchange("POST http://127.0.0.1:" + sink.port() + "/ HTTP/1.1\r\nHost: x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZZ-not-hex\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 400").contains("malformed request body");
        }
    }

    @Test
    void slowRequestHeadGets408() throws IOException {
        try (RawClient client = new RawClient(gangway.port())) {
            client.send("GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127");
            long start = System.nanoTime();
            assertThat(client.readToClose()).startsWith("HTTP/1.1 408");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void upstreamThatNeverAnswersGives504() throws IOException {
        try (RawServer silent = new RawServer((socket, in, out) -> in.readAllBytes())) {
            assertThat(exchange("GET http://127.0.0.1:" + silent.port() + "/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 504").contains("response-timeout")
                    .contains("Proxy-Status: gangway; error=http_response_timeout");
        }
    }

    @Test
    void upstreamThatSendsGarbageGives502() throws IOException {
        try (RawServer garbage = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            assertThat(exchange("GET http://127.0.0.1:" + garbage.port() + "/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 502");
        }
    }

    @Test
    void upstreamClosingBeforeAnsweringGives502() throws IOException {
        try (RawServer rude = new RawServer((socket, in, out) -> RawServer.readHead(in))) {
            assertThat(exchange("GET http://127.0.0.1:" + rude.port() + "/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 502").contains("closed the connection before answering");
        }
    }

    @Test
    void aKeepAliveClientStaysConnectedAfterAnError() throws IOException {
        try (RawServer rude = new RawServer((socket, in, out) -> RawServer.readHead(in));
             RawClient client = new RawClient(gangway.port())) {
            client.send("GET http://127.0.0.1:" + rude.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.response()).startsWith("HTTP/1.1 502").contains("Connection: keep-alive");
            client.send("GET http://127.0.0.1:" + okOrigin.port() + "/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(client.readToClose()).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    @Test
    void aPooledConnectionClosedByTheUpstreamIsRetriedOnANewOne() throws IOException {
        // Each upstream connection answers its first request with keep-alive, then hangs up on
        // the next one without a word: what a server does when its keep-alive timer fires just
        // as a reused connection sends. Gangway must retry once, on a fresh connection.
        try (RawServer oneShot = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawServer.readHead(in);
        });
             RawClient client = new RawClient(gangway.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("GET http://127.0.0.1:" + oneShot.port() + "/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(client.response()).as("request %d", i).startsWith("HTTP/1.1 200").endsWith("\r\n\r\nok");
            }
            assertThat(oneShot.connections()).isEqualTo(3);
        }
    }

    @Test
    void upstreamClosingMidBodyClosesTheClient() throws IOException {
        try (RawServer truncating = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[10_000]);
        })) {
            String answer = exchange("GET http://127.0.0.1:" + truncating.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200");
            int bodyStart = answer.indexOf("\r\n\r\n") + 4;
            // The client sees fewer bytes than announced and a closed connection: a truncation, not a hang.
            assertThat(answer.length() - bodyStart).isEqualTo(10_000);
        }
    }

    @Test
    void chunkedResponseCutShortClosesTheClient() throws IOException {
        try (RawServer truncating = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
        })) {
            String answer = exchange("GET http://127.0.0.1:" + truncating.port() + "/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("hello").doesNotContain("\r\n0\r\n\r\n");
        }
    }

    @Test
    void http10ClientGetsABodyDelimitedByClose() throws IOException {
        try (RawServer chunked = new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        })) {
            String answer = exchange("GET http://127.0.0.1:" + chunked.port() + "/ HTTP/1.0\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("transfer-encoding")
                    .containsIgnoringCase("connection: close").endsWith("\r\n\r\nhello world");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws IOException {
        try (RawServer numbered = new RawServer((socket, in, out) -> {
            for (int i = 0; i < 3; i++) {
                String head = RawServer.readHead(in);
                String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path)
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })) {
            String base = "GET http://127.0.0.1:" + numbered.port();
            String answer = exchange(base + "/one HTTP/1.1\r\nHost: x\r\n\r\n"
                    + base + "/two HTTP/1.1\r\nHost: x\r\n\r\n"
                    + base + "/three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(answer.indexOf("/one")).isLessThan(answer.indexOf("/two"));
            assertThat(answer.indexOf("/two")).isLessThan(answer.indexOf("/three"));
            assertThat(answer.split("HTTP/1.1 200", -1)).hasSize(4);
        }
    }
}
