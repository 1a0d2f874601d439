package io.gangway.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What a fault could leak, counted: this JVM's open file descriptors, Gangway's open client and
 * upstream connections, and the upstream connections idling in its pools (the admin endpoint's
 * gauges, so the Gangway needs {@code admin} set). {@link #awaitBaseline} waits, bounded, until
 * each is back at most at its level in the snapshot.
 */
record ResourceLevels(long fds, int clients, int upstreams, int pooled) {

    static ResourceLevels of(RunningGangway gangway) {
        int pooled = gangway.server().telemetry().upstreamConnections().values().stream().mapToInt(c -> c[0]).sum();
        return new ResourceLevels(openFds(), gangway.stats().openClientConnections(),
                gangway.stats().openUpstreamConnections(), pooled);
    }

    /** Waits until nothing is above this snapshot; fails, naming what stayed, after {@code timeout}. */
    void awaitBaseline(RunningGangway gangway, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ResourceLevels now = of(gangway);
        while (!now.atMost(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("resources did not return to their level within " + timeout.toMillis()
                        + " ms: before " + this + ", now " + now);
            }
            Thread.sleep(20);
            now = of(gangway);
        }
    }

    private boolean atMost(ResourceLevels baseline) {
        return fds <= baseline.fds && clients <= baseline.clients && upstreams <= baseline.upstreams
                && pooled <= baseline.pooled;
    }

    private static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException e) {
            throw new AssertionError("cannot count file descriptors (/proc/self/fd): " + e, e);
        }
    }
}
