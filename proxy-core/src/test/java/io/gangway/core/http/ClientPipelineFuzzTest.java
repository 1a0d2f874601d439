package io.gangway.core.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gangway.core.LeakWatch;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the client pipeline ({@link FuzzedClientConnection}: the pipeline the
 * server builds, scripted upstreams behind it). Every input ends in a clean outcome: what is
 * forwarded is unambiguous, the client gets well-formed answers (an HTTP error from Gangway for
 * what it refuses) and a closed connection, nothing is thrown or logged as an error, and no
 * buffer leaks: Netty's detector at paranoid, checked after each input for reports, and after a
 * forced collection for each seed (and every 20,000 inputs while fuzzing).
 * Seeds: {@code ClientPipelineFuzzTestInputs/requestHeads/} (request heads that curl, Docker,
 * apt, Maven and browsers send, pipelining, and the smuggling shapes of
 * {@code HostileRequestHeadsTest}: conflicting framing, obs-fold, bare CR and LF, odd targets
 * and versions); {@code chunkedBodies/} (what follows a chunked POST head: valid bodies with
 * extensions and trailers, bad and overflowing sizes, a second request behind the last chunk).
 */
class ClientPipelineFuzzTest {

    /** The head in front of every {@link #chunkedBodies} input. */
    private static final byte[] CHUNKED_HEAD = ("POST http://origin.test/upload HTTP/1.1\r\nHost: origin.test\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null || System.getProperty("JAZZER_FUZZ") != null;

    private static PipelineLogs logs;
    private static long inputs;

    @BeforeAll
    static void watch() {
        LeakWatch.requireParanoid();
        LeakWatch.assertNoLeaks();
        logs = new PipelineLogs();
    }

    @AfterAll
    static void unwatch() {
        logs.restore();
        LeakWatch.assertNoLeaks();
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void requestHeads(byte[] input) {
        checked(input);
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void chunkedBodies(byte[] body) {
        byte[] input = new byte[CHUNKED_HEAD.length + body.length];
        System.arraycopy(CHUNKED_HEAD, 0, input, 0, CHUNKED_HEAD.length);
        System.arraycopy(body, 0, input, CHUNKED_HEAD.length, body.length);
        checked(input);
    }

    private static void checked(byte[] input) {
        FuzzedClientConnection.check(input);
        logs.assertNothingUnexpected();
        if (!FUZZING || ++inputs % 20_000 == 0) {
            LeakWatch.assertNoLeaks(); // attributes a leak to this input
        } else {
            LeakWatch.assertNoReports(); // what collections so far found
        }
    }
}
