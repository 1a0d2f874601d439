package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RecordingOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Name resolution for DIRECT connections is bounded by connect-timeout and never holds an event
 * loop: a name whose server never answers (here a lookup that blocks, as the OS resolver does
 * while it retries a silent server) fails its requests in time, and other requests go on.
 */
class NameResolutionTest {

    private final SilentNameServer names = new SilentNameServer("stalled.test");
    private RunningGangway gangway;

    @BeforeEach
    void start() throws Exception {
        gangway = RunningGangway.builder().with(ConfigKey.CONNECT_TIMEOUT, "1s").names(names).start();
    }

    @AfterEach
    void stop() {
        names.close();
        gangway.close();
    }

    @Test
    void aNameServerThatNeverAnswersFailsTheRequestWithinConnectTimeout() throws Exception {
        try (RawClient client = new RawClient(gangway.port())) {
            long start = System.nanoTime();
            String answer = client.send("GET http://stalled.test/ HTTP/1.1\r\nHost: stalled.test\r\nConnection: close\r\n\r\n")
                    .readToClose();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(answer).startsWith("HTTP/1.1 504")
                    .contains("no answer from the name server for stalled.test within 1000 ms (connect-timeout)");
            assertThat(took).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void lookupsOfOneNameShareOneThreadAndOtherRequestsGoOn() throws Exception {
        try (RecordingOrigin origin = new RecordingOrigin()) {
            ExecutorService pool = Executors.newFixedThreadPool(10);
            try {
                List<Future<String>> stalled = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    stalled.add(pool.submit(() -> {
                        try (RawClient client = new RawClient(gangway.port())) {
                            return client.send("CONNECT stalled.test:443 HTTP/1.1\r\nHost: stalled.test:443\r\n\r\n")
                                    .readToClose();
                        }
                    }));
                }
                try (RawClient client = new RawClient(gangway.port())) {
                    // by name: a lookup of its own in the resolver's pool, beside the stalled ones
                    String answer = client.send("GET http://localhost:" + origin.port() + "/meanwhile HTTP/1.1\r\nHost: x\r\n"
                            + "Connection: close\r\n\r\n").readToClose();
                    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("/meanwhile");
                }
                for (Future<String> f : stalled) {
                    assertThat(f.get()).startsWith("HTTP/1.1 504").contains("stalled.test");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(names.stalledLookups()).as("lookups in flight for one name").isEqualTo(1);
        }
    }
}
