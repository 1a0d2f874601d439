package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.SlowClients;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A thousand slow-loris clients, each dribbling a request head one byte every 300 ms over a real
 * socket, and one fast client: its requests through the same Gangway are measured alone and
 * among them. The functional bound: no request of the fast client takes a second. The figures
 * are printed (docs/benchmarks.md, "Slow clients", quotes them).
 */
class SlowClientsTest {

    private static final int SLOW_CLIENTS = 1_000;
    private static final int REQUESTS = 500;
    private static final Duration DRIBBLE = Duration.ofMillis(300);
    private static final Duration BOUND = Duration.ofSeconds(1);

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    /** Latencies of the fast client's requests, in milliseconds, sorted. */
    private record Latencies(double[] millis) {
        double median() {
            return millis[millis.length / 2];
        }

        double max() {
            return millis[millis.length - 1];
        }

        String text() {
            return String.format(Locale.ROOT, "median %.1f ms, max %.1f ms", median(), max());
        }
    }

    /** Each request on a connection of its own, so that the fast client also meets the accept queue. */
    private static Latencies fastClient(int port, int requests) throws IOException {
        double[] millis = new double[requests];
        String request = "GET " + origin.http("/fast") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            try (RawClient client = new RawClient(port)) {
                assertThat(client.send(request).response()).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return new Latencies(millis);
    }

    /**
     * Both ends of every slow connection live in this JVM. The JVM raises its soft open-file
     * limit to the hard one at start (HotSpot's MaxFDLimit), so only a low hard limit fails this.
     */
    private static void enoughOpenFiles() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            long needed = unix.getOpenFileDescriptorCount() + 2L * SLOW_CLIENTS + 500;
            assertThat(unix.getMaxFileDescriptorCount())
                    .as("this test JVM may open %d files, and %d slow clients need about %d (both ends of each in "
                            + "this JVM): raise the hard limit (ulimit -Hn, or LimitNOFILE for a service) before "
                            + "running the tests", unix.getMaxFileDescriptorCount(), SLOW_CLIENTS, needed)
                    .isGreaterThanOrEqualTo(needed);
        }
    }

    @Test
    void aThousandSlowClientsDelayAFastClientByLessThanASecond() throws Exception {
        enoughOpenFiles();
        // the slow heads must stay in play for the whole measurement: not cut by the 30 s default
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ROUTING, "direct")
                .with(ConfigKey.REQUEST_HEAD_TIMEOUT, "10m").start()) {
            fastClient(gangway.port(), 2 * REQUESTS); // warm-up: compiled code, pooled buffers, the origin's connection
            Latencies alone = fastClient(gangway.port(), REQUESTS);
            Latencies among;
            int stillOpen;
            long dribbled;
            try (SlowClients slow = SlowClients.start(SLOW_CLIENTS, gangway.port(), origin.http("/slow"), DRIBBLE)) {
                awaitClients(gangway, SLOW_CLIENTS);
                Thread.sleep(2 * DRIBBLE.toMillis()); // every slow client has started its head
                long before = slow.bytesSent();
                among = fastClient(gangway.port(), REQUESTS);
                dribbled = slow.bytesSent() - before;
                stillOpen = slow.stillOpen();
            }
            // Gangway sees every slow client go (and releases what it held of each) before it is closed
            awaitClients(gangway, 0);
            System.out.printf(Locale.ROOT, "slow clients: fast client, %d requests, each on a new connection: alone %s; "
                            + "among %d slow clients (one byte each every %d ms, %d bytes dribbled meanwhile, %d still "
                            + "connected at the end) %s%n", REQUESTS, alone.text(), SLOW_CLIENTS, DRIBBLE.toMillis(),
                    dribbled, stillOpen, among.text());
            assertThat(stillOpen).as("the slow clients were all in play to the end").isEqualTo(SLOW_CLIENTS);
            assertThat(dribbled).as("and kept sending while the fast client was measured").isGreaterThanOrEqualTo(SLOW_CLIENTS);
            assertThat(among.max()).as("the fast client's slowest request among the slow clients, in ms")
                    .isLessThan(BOUND.toMillis());
        }
    }

    /** Waits until Gangway counts {@code count} client connections open: accepting and closing are asynchronous. */
    private static void awaitClients(RunningGangway gangway, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gangway.stats().openClientConnections() != count) {
            assertThat(System.nanoTime()).as("Gangway has %d client connections open, not %d",
                    gangway.stats().openClientConnections(), count).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
