package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RecordingOrigin;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and unusual request heads, each checked at the origin: a raw-socket origin that reads
 * as a strict HTTP/1.1 server records what reached it. Every case ends in one of two ways: a
 * clean 4xx/5xx from Gangway with nothing forwarded, or exactly the well-framed messages the
 * client meant (never a second, smuggled one). {@code ORIGIN} in a case stands for the origin's
 * {@code host:port}.
 */
class HostileRequestHeadsTest {

    /** What a case must end in. */
    enum Outcome {
        /** Gangway answers 4xx/5xx itself and the origin sees nothing. */
        REJECTED,
        /** The origin gets the messages, each well framed, and the client gets each answer. */
        FORWARDED,
        /** Either of the two; the case is about what must never happen (a smuggled message). */
        EITHER,
        /**
         * A body that breaks after its head went on: the client gets 4xx and the origin sees an
         * incomplete message cut by a close (what any client dying mid-upload looks like), never
         * a complete one.
         */
        CUT
    }

    record Case(String name, String bytes, Outcome outcome, int status, int messages) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static RecordingOrigin origin;
    private static RunningGangway gangway;

    @BeforeAll
    static void start() throws Exception {
        // Keep-alive, so that a smuggled message would be read after the one that carried it.
        origin = new RecordingOrigin();
        gangway = RunningGangway.builder()
                .with(ConfigKey.MAX_REQUEST_LINE, "2KiB")
                .with(ConfigKey.MAX_HEADER_SIZE, "8KiB")
                .with(ConfigKey.MAX_HEADERS, "50")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        gangway.close();
        origin.close();
    }

    @AfterEach
    void clean() throws Exception {
        origin.closeConnections(); // so that no pooled upstream connection outlives a case
        gangway.awaitNoOpenConnections(Duration.ofSeconds(10));
        origin.clear();
    }

    private static final String GET = "GET http://ORIGIN/ok HTTP/1.1\r\nHost: ORIGIN\r\n";
    private static final String POST = "POST http://ORIGIN/post HTTP/1.1\r\nHost: ORIGIN\r\n";
    /** A message hidden in a body: origin form, so its length does not depend on the origin's port. */
    private static final String SMUGGLED = "GET /SMUGGLED HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private static Case rejected(String name, int status, String bytes) {
        return new Case(name, bytes, Outcome.REJECTED, status, 0);
    }

    private static Case forwarded(String name, int messages, String bytes) {
        return new Case(name, bytes, Outcome.FORWARDED, 200, messages);
    }

    private static Case either(String name, String bytes) {
        return new Case(name, bytes, Outcome.EITHER, 0, 1);
    }

    private static Case cut(String name, String bytes) {
        return new Case(name, bytes, Outcome.CUT, 400, 0);
    }

    static Stream<Arguments> cases() {
        String chunkedPost = POST + "Transfer-Encoding: chunked\r\n\r\n";
        List<Case> cases = List.of(
                // conflicting or odd framing
                rejected("Content-Length with Transfer-Encoding", 400,
                        POST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                rejected("two different Content-Lengths", 400, POST + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
                rejected("Content-Length listed twice in one field", 400, POST + "Content-Length: 5, 5\r\n\r\nhello"),
                rejected("Content-Length with a plus sign", 400, POST + "Content-Length: +5\r\n\r\nhello"),
                rejected("negative Content-Length", 400, POST + "Content-Length: -1\r\n\r\n"),
                rejected("hexadecimal Content-Length", 400, POST + "Content-Length: 0x5\r\n\r\nhello"),
                rejected("Content-Length with an inner space", 400, POST + "Content-Length: 5 5\r\n\r\nhello"),
                rejected("Content-Length beyond 2^63", 400, POST + "Content-Length: 99999999999999999999\r\n\r\n"),
                rejected("chunked applied twice", 400, POST + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
                rejected("chunked not the final coding", 400, POST + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
                rejected("a coding Gangway does not apply", 501, POST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
                rejected("identity coding", 400, POST + "Transfer-Encoding: identity\r\n\r\nhello"),
                rejected("xchunked", 400, POST + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
                rejected("two Transfer-Encoding fields", 400,
                        POST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n"),
                rejected("Transfer-Encoding in HTTP/1.0", 400,
                        "POST http://ORIGIN/post HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                rejected("space before the colon", 400, POST + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
                rejected("Transfer_Encoding with an underscore", 400, POST + "Transfer_Encoding: chunked\r\n\r\n0\r\n\r\n"),
                rejected("Content_Length with an underscore", 400, POST + "Content_Length: 5\r\n\r\nhello"),
                rejected("folded line right after the request line", 400,
                        "POST http://ORIGIN/post HTTP/1.1\r\n Transfer-Encoding: chunked\r\nHost: ORIGIN\r\n\r\n0\r\n\r\n"),
                either("Transfer-Encoding value on a folded line", POST + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
                forwarded("Chunked in another case", 1, POST + "Transfer-Encoding: Chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                forwarded("Content-Length: 0", 1, POST + "Content-Length: 0\r\n\r\n"),
                forwarded("a GET with a body", 1, GET + "Content-Length: 5\r\n\r\nhello"),
                forwarded("HTTP/1.0 with a body", 1, "POST http://ORIGIN/post HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello"),
                // connection options that name framing or routing headers
                rejected("Connection names Content-Length", 400,
                        POST + "Connection: Content-Length\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED),
                rejected("Connection names Transfer-Encoding", 400, chunkedPost.replace("Transfer", "Connection: Transfer-Encoding\r\nTransfer")
                        + Integer.toHexString(SMUGGLED.length()) + "\r\n" + SMUGGLED + "\r\n0\r\n\r\n"),
                rejected("Connection names Host", 400, GET + "Connection: keep-alive, Host\r\n\r\n"),
                rejected("an HTTP/1.1 request without Host", 400, "GET http://ORIGIN/ok HTTP/1.1\r\n\r\n"),
                rejected("two Host fields", 400, GET + "Host: elsewhere.example\r\n\r\n"),
                forwarded("an HTTP/1.0 request without Host", 1, "GET http://ORIGIN/ok HTTP/1.0\r\n\r\n"),
                // chunk sizes
                forwarded("chunk extension", 1, chunkedPost + "5;name=value\r\nhello\r\n0\r\n\r\n"),
                forwarded("upper-case hex size", 1, chunkedPost + "A\r\n0123456789\r\n0\r\n\r\n"),
                forwarded("leading zeros in a size", 1, chunkedPost + "0005\r\nhello\r\n0\r\n\r\n"),
                forwarded("trailer fields", 1, chunkedPost + "5\r\nhello\r\n0\r\nX-Checksum: 1\r\n\r\n"),
                cut("chunk size beyond 2^64", chunkedPost + "FFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n"),
                cut("negative chunk size", chunkedPost + "-5\r\nhello\r\n0\r\n\r\n"),
                cut("chunk data longer than its size", chunkedPost + "3\r\nhello\r\n0\r\n\r\n"),
                cut("chunk size that is not hex", chunkedPost + "5\r\nhello\r\nZZ\r\n\r\n"),
                cut("bare LF inside a chunk extension", chunkedPost + "5;a\nb\r\nhello\r\n0\r\n\r\n"),
                // line endings, control characters, field syntax
                rejected("bare LF line endings", 400, "GET http://ORIGIN/ok HTTP/1.1\nHost: ORIGIN\n\n"),
                rejected("bare CR in a field value", 400, GET + "X-A: a\rb\r\n\r\n"),
                rejected("NUL in a field value", 400, GET + "X-A: a\0b\r\n\r\n"),
                rejected("NUL in the target", 400, "GET http://ORIGIN/a\0b HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                either("obs-fold in an ordinary field", GET + "X-A: one\r\n  two\r\n\r\n"),
                rejected("a field line without a colon", 400, GET + "NoColonHere\r\n\r\n"),
                rejected("a space inside a field name", 400, GET + "Bad Name: x\r\n\r\n"),
                rejected("an empty field name", 400, GET + ": x\r\n\r\n"),
                rejected("a request line too long", 414, "GET http://ORIGIN/" + "a".repeat(3000) + " HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("a head too large", 431, GET + "X-Big: " + "b".repeat(9000) + "\r\n\r\n"),
                rejected("too many fields", 431, GET + "X-F: 1\r\n".repeat(60) + "\r\n"),
                // targets
                rejected("origin-form target", 400, "GET /ok HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("asterisk-form target", 400, "OPTIONS * HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("an https URL in a plain request", 400, "GET https://ORIGIN/ HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("an ftp URL", 400, "GET ftp://ORIGIN/ HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("an empty host", 400, "GET http:///ok HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("a port out of range", 400, "GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: x\r\n\r\n"),
                rejected("a space inside the target", 400, "GET http://ORIGIN/a b HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("CONNECT without a port", 400, "CONNECT example.invalid HTTP/1.1\r\n\r\n"),
                forwarded("userinfo and a fragment", 1, "GET http://user:secret@ORIGIN/ok#frag HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                // versions and methods
                rejected("HTTP/1.2", 505, "GET http://ORIGIN/ok HTTP/1.2\r\nHost: ORIGIN\r\n\r\n"),
                rejected("HTTP/2.0 in an HTTP/1 request line", 505, "GET http://ORIGIN/ok HTTP/2.0\r\nHost: ORIGIN\r\n\r\n"),
                rejected("HTTP/0.9", 505, "GET http://ORIGIN/ok HTTP/0.9\r\nHost: ORIGIN\r\n\r\n"),
                rejected("text after the version", 400, "GET http://ORIGIN/ok HTTP/1.1 extra\r\nHost: ORIGIN\r\n\r\n"),
                rejected("a lower-case protocol name", 400, "GET http://ORIGIN/ok http/1.1\r\nHost: ORIGIN\r\n\r\n"),
                rejected("a method with a delimiter", 400, "G(ET http://ORIGIN/ok HTTP/1.1\r\nHost: ORIGIN\r\n\r\n"),
                // pipelining
                forwarded("two pipelined GETs", 2, GET + "\r\n" + GET.replace("/ok", "/second") + "\r\n"),
                forwarded("a POST and a GET in one segment", 2, POST + "Content-Length: 5\r\n\r\nhello" + GET + "\r\n"),
                forwarded("a chunked POST and a GET in one segment", 2, chunkedPost + "5\r\nhello\r\n0\r\n\r\n" + GET + "\r\n"),
                forwarded("Expect: 100-continue with its body", 1, POST + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nhello"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void whatReachesTheOrigin(Case c) throws Exception {
        String bytes = c.bytes().replace("ORIGIN", "127.0.0.1:" + origin.port());
        List<String> answers = new ArrayList<>();
        try (RawClient client = new RawClient(gangway.port())) {
            client.send(bytes);
            for (int i = 0; i < Math.max(1, c.messages()); i++) {
                String answer = client.response();
                if (answer == null) {
                    break;
                }
                answers.add(answer);
            }
        }
        List<RecordingOrigin.Request> received = awaitRequests(c);
        assertThat(received).as("nothing smuggled").noneMatch(r -> r.target().contains("SMUGGLED"));
        Outcome outcome = c.outcome();
        if (outcome == Outcome.EITHER) {
            outcome = !answers.isEmpty() && answers.get(0).startsWith("HTTP/1.1 200") ? Outcome.FORWARDED : Outcome.REJECTED;
        }
        switch (outcome) {
            case REJECTED -> {
                assertThat(answers).as("Gangway's answer").singleElement().satisfies(a -> {
                    assertThat(a).containsPattern(c.status() > 0 ? "^HTTP/1.1 " + c.status() + " " : "^HTTP/1.1 [45]\\d\\d ")
                            .contains("Proxy-Status: gangway");
                });
                assertThat(received).as("forwarded").isEmpty();
                assertThat(origin.protocolErrors()).isEmpty();
            }
            case FORWARDED -> {
                assertThat(origin.protocolErrors()).isEmpty();
                assertThat(received).hasSize(c.messages());
                assertThat(answers).hasSize(c.messages()).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 200"));
                for (int i = 0; i < received.size(); i++) {
                    assertThat(answers.get(i)).as("answers in order").endsWith(received.get(i).target());
                    assertThat(received.get(i).target()).startsWith("/").doesNotContain("@", "#", "secret");
                }
            }
            case CUT -> {
                assertThat(answers).singleElement().satisfies(a -> assertThat(a).startsWith("HTTP/1.1 400"));
                assertThat(received).as("complete messages forwarded").isEmpty();
                assertThat(origin.protocolErrors()).allSatisfy(e -> assertThat(e).contains("closed in the middle"));
            }
            default -> throw new AssertionError(outcome);
        }
    }

    /**
     * The origin reads on its own threads: wait for the messages a case expects, then a moment
     * more, in which a message smuggled behind them (already in the origin's socket buffer by
     * the time the client has its answer) would be read.
     */
    private static List<RecordingOrigin.Request> awaitRequests(Case c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (origin.requests().size() < c.messages() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        return origin.requests();
    }
}
