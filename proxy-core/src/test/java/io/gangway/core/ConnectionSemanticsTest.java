package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.harness.RawServer;
import io.gangway.harness.RecordingOrigin;
import io.gangway.harness.RecordingOrigin.Answer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hop-by-hop semantics over real sockets (RFC 9110 7.6.1, RFC 9112 9): connection options
 * never change a message's framing, each side's {@code Connection: close} ends only that side's
 * connection, and a request is sent again only when RFC 9110 9.2.2 allows it.
 */
class ConnectionSemanticsTest {

    private static RunningGangway gangway;

    @BeforeAll
    static void start() throws Exception {
        gangway = RunningGangway.builder().start();
    }

    @AfterAll
    static void stop() {
        gangway.close();
    }

    @AfterEach
    void noLeaks() throws InterruptedException {
        gangway.awaitNoOpenConnections(Duration.ofSeconds(10));
    }

    private static String smuggled(RecordingOrigin origin) {
        return "GET " + origin.http("/SMUGGLED") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    @Test
    void aConnectionOptionNamingContentLengthNeverUnframesTheBody() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); RawClient client = new RawClient(gangway.port())) {
            String body = smuggled(origin);
            String answer = client.send("POST " + origin.http("/a") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Content-Length\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).response();
            assertRejectedWithNothingForwarded(origin, answer, body);
        }
    }

    @Test
    void aConnectionOptionNamingTransferEncodingNeverUnframesTheBody() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(); RawClient client = new RawClient(gangway.port())) {
            String body = smuggled(origin);
            String answer = client.send("POST " + origin.http("/a") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n").response();
            assertRejectedWithNothingForwarded(origin, answer, body);
        }
    }

    private static void assertRejectedWithNothingForwarded(RecordingOrigin origin, String answer, String body)
            throws Exception {
        Thread.sleep(200); // a smuggled message is in the origin's socket buffer by now: let it be read
        origin.closeConnections();
        assertThat(origin.protocolErrors()).isEmpty();
        assertThat(origin.requests()).noneMatch(r -> r.target().contains("SMUGGLED"));
        assertThat(answer).startsWith("HTTP/1.1 400").contains("connection option");
        assertThat(origin.requests()).isEmpty();
    }

    @Test
    void anOriginsConnectionCloseIsHonouredAndAPostIsNeverSentTwice() throws IOException {
        // The origin answers with Connection: close and lingers a second before it closes: a
        // proxy that missed the close would write the next request onto that connection.
        try (RecordingOrigin origin = new RecordingOrigin(r -> Answer.closing("ok", Duration.ofSeconds(1)));
             RawClient client = new RawClient(gangway.port())) {
            for (int i = 0; i < 3; i++) {
                client.send("POST " + origin.http("/post/" + i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 5\r\n\r\nhello");
                assertThat(client.response()).as("answer %d", i).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat(origin.requests()).extracting(RecordingOrigin.Request::target)
                    .containsExactly("/post/0", "/post/1", "/post/2");
            assertThat(origin.connections()).isEqualTo(3);
        }
    }

    @Test
    void postsFromSeveralKeepAliveClientsReachTheOriginExactlyOnceEach() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin(r -> Answer.closing("ok", Duration.ofMillis(300)))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> clients = new ArrayList<>();
                for (int c = 0; c < 4; c++) {
                    int clientNumber = c;
                    clients.add(pool.submit(() -> {
                        int ok = 0;
                        try (RawClient client = new RawClient(gangway.port())) {
                            for (int i = 0; i < 2; i++) {
                                client.send("POST " + origin.http("/c" + clientNumber + "/" + i) + " HTTP/1.1\r\n"
                                        + "Host: 127.0.0.1\r\nContent-Length: 2\r\n\r\nhi");
                                ok += client.response().startsWith("HTTP/1.1 200") ? 1 : 0;
                            }
                        }
                        return ok;
                    }));
                }
                int answered = 0;
                for (Future<Integer> f : clients) {
                    answered += f.get();
                }
                assertThat(answered).isEqualTo(8);
            } finally {
                pool.shutdownNow();
            }
            assertThat(origin.requests()).hasSize(8);
            assertThat(origin.requests()).extracting(RecordingOrigin.Request::target).doesNotHaveDuplicates();
        }
    }

    @Test
    void aClientsConnectionCloseLeavesTheUpstreamConnectionPooled() throws IOException {
        try (RecordingOrigin origin = new RecordingOrigin()) {
            int loops = Runtime.getRuntime().availableProcessors(); // Gangway's event loops, each with its own pool
            int requests = 2 * loops + 2;
            for (int i = 0; i < requests; i++) {
                try (RawClient client = new RawClient(gangway.port())) {
                    String answer = client.send("GET " + origin.http("/" + i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Connection: close\r\n\r\n").readToClose();
                    assertThat(answer).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close")
                            .endsWith("/" + i);
                }
            }
            assertThat(origin.requests()).hasSize(requests);
            assertThat(origin.requests()).allSatisfy(r -> assertThat(r.header("Connection")).isEmpty());
            // Each event loop has its own pool (client connections are spread over the loops):
            // at most one upstream connection per loop, whatever the number of clients.
            assertThat(origin.connections()).as("upstream connections").isLessThanOrEqualTo(loops);
        }
        // the pooled connection closes with the origin
    }

    @Test
    void aClientThatEndsItsOutputAfterItsRequestsGetsEachAnswerThenTheClose() throws IOException {
        try (RecordingOrigin origin = new RecordingOrigin(); RawClient client = new RawClient(gangway.port())) {
            String requests = "GET " + origin.http("/one") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "GET " + origin.http("/two") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            // the requests and the FIN leave together: Gangway reads both before it has answered
            String answers = client.send(requests).endOutput().readToClose();
            assertThat(answers).startsWith("HTTP/1.1 200").contains("/one").endsWith("/two");
            assertThat(answers.split("HTTP/1.1 200", -1)).hasSize(3);
            assertThat(origin.requests()).extracting(RecordingOrigin.Request::target).containsExactly("/one", "/two");
        }
    }

    @Test
    void aClientThatEndsItsOutputInTheMiddleOfABodyIsClosedAndTheOriginNeverGetsAWholeRequest() throws IOException {
        try (RecordingOrigin origin = new RecordingOrigin(); RawClient client = new RawClient(gangway.port())) {
            String answer = client.send("POST " + origin.http("/cut") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 10\r\n\r\nabc").endOutput().readToClose();
            assertThat(answer).doesNotStartWith("HTTP/1.1 200");
            assertThat(origin.requests()).isEmpty();
        }
    }

    @Test
    void aClientThatEndsItsOutputBetweenRequestsIsClosed() throws IOException {
        try (RecordingOrigin origin = new RecordingOrigin(); RawClient client = new RawClient(gangway.port())) {
            assertThat(client.send("GET " + origin.http("/first") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").response())
                    .startsWith("HTTP/1.1 200").endsWith("/first");
            assertThat(client.endOutput().readToClose()).isEmpty();
        }
    }

    /**
     * An origin whose connections answer their first request (keep-alive), then read the
     * second, with its 5-byte body, and close without an answer, as if the origin crashed
     * while applying it.
     */
    private static RawServer answersOnceThenDrops() throws IOException {
        return new RawServer((socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawServer.readHead(in);
            in.readNBytes(5);
        });
    }

    @Test
    void aPostIsNotSentAgainWhenAReusedConnectionClosesWithoutAnAnswer() throws IOException {
        try (RawServer origin = answersOnceThenDrops();
             RawClient client = new RawClient(gangway.port())) {
            String url = "http://127.0.0.1:" + origin.port();
            client.send("GET " + url + "/first HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.response()).startsWith("HTTP/1.1 200");
            client.send("POST " + url + "/second HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            assertThat(client.response()).startsWith("HTTP/1.1 502").contains("not sent again");
            assertThat(origin.connections()).as("the POST was not retried on a new connection").isEqualTo(1);
        }
    }

    @Test
    void anIdempotencyKeyNamedAsAConnectionOptionDoesNotMakeAPostRetriable() throws IOException {
        // The key is removed before forwarding (a connection option), so the origin cannot use
        // it: the POST counts as a POST, and is not sent again when a reused connection drops.
        try (RawServer origin = answersOnceThenDrops();
             RawClient client = new RawClient(gangway.port())) {
            String url = "http://127.0.0.1:" + origin.port();
            client.send("GET " + url + "/first HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.response()).startsWith("HTTP/1.1 200");
            client.send("POST " + url + "/pay HTTP/1.1\r\nHost: x\r\nIdempotency-Key: k1\r\nConnection: Idempotency-Key\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            assertThat(client.response()).startsWith("HTTP/1.1 502").contains("not sent again");
            assertThat(origin.connections()).isEqualTo(1);
        }
    }

    @Test
    void informationalResponsesArePassedOnToHttp11ClientsOnly() throws IOException {
        try (RawServer origin = new RawServer((socket, in, out) -> {
            while (true) {
                RawServer.readHead(in);
                out.write(("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        })) {
            try (RawClient client = new RawClient(gangway.port())) {
                String answer = client.send("GET http://127.0.0.1:" + origin.port() + "/ HTTP/1.1\r\nHost: x\r\n"
                        + "Connection: close\r\n\r\n").readToClose();
                assertThat(answer).startsWith("HTTP/1.1 103 Early Hints\r\n").contains("Link: </style.css>; rel=preload")
                        .contains("\r\n\r\nHTTP/1.1 200 OK\r\n").endsWith("ok");
            }
            try (RawClient client = new RawClient(gangway.port())) {
                String answer = client.send("GET http://127.0.0.1:" + origin.port() + "/ HTTP/1.0\r\n\r\n").readToClose();
                assertThat(answer).startsWith("HTTP/1.1 200 OK").doesNotContain("103");
            }
        }
    }
}
