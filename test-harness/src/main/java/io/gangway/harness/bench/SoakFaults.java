package io.gangway.harness.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The fault schedule: every {@code every} ms from {@code every / 2}, the next fault in the order
 * upstream restart, wrong password, PAC to DIRECT, PAC back to the upstream; none that would not
 * end before the run does. Each fault is a window from its start until Gangway is expected to have
 * recovered: errors whose request overlaps a window are expected, every other one is a failure.
 */
final class SoakFaults implements Runnable {

    enum Kind { UPSTREAM_RESTART, WRONG_PASSWORD, PAC_DIRECT, PAC_UPSTREAM }

    /** A fault as it happened; {@code endMs} includes the recovery allowance. Times from the run's start. */
    record Window(Kind kind, long startMs, long endMs, String detail) {
        boolean overlaps(long fromMs, long toMs) {
            return fromMs <= endMs && toMs >= startMs;
        }
    }

    /** How long the upstream stays down, and the wrong password stays in the file. */
    static final long UPSTREAM_DOWN_MS = 2_000;
    static final long WRONG_PASSWORD_MS = 5_000;
    /** After a fault ends: connections already broken by it are found by their next request, a retry runs, a PAC is fetched. */
    static final long RECOVERY_MS = 5_000;

    private final SoakPeers peers;
    private final long startNanos;
    private final long durationMs;
    private final long everyMs;
    private final long pacRefreshMs;
    private final long lockoutMaxMs;
    private final List<Window> windows = new ArrayList<>();
    private volatile String error;

    SoakFaults(SoakPeers peers, long startNanos, long durationMs, long everyMs, long pacRefreshMs, long lockoutMaxMs) {
        this.peers = peers;
        this.startNanos = startNanos;
        this.durationMs = durationMs;
        this.everyMs = everyMs;
        this.pacRefreshMs = pacRefreshMs;
        this.lockoutMaxMs = lockoutMaxMs;
    }

    /** How long a fault's window lasts, recovery included. */
    long windowMs(Kind kind) {
        return switch (kind) {
            case UPSTREAM_RESTART -> UPSTREAM_DOWN_MS + RECOVERY_MS;
            // the back-off in force when the right password comes back may still have lockoutMax to run
            case WRONG_PASSWORD -> WRONG_PASSWORD_MS + lockoutMaxMs + RECOVERY_MS;
            case PAC_DIRECT, PAC_UPSTREAM -> pacRefreshMs + RECOVERY_MS;
        };
    }

    @Override
    public void run() {
        int n = 0;
        for (long at = everyMs / 2; ; at += everyMs, n++) {
            Kind kind = Kind.values()[n % Kind.values().length];
            if (at + windowMs(kind) > durationMs - 2_000 || !sleepUntil(at)) {
                return;
            }
            try {
                inject(kind);
            } catch (Exception e) {
                error = "injecting " + kind + " failed: " + e;
                return;
            }
        }
    }

    private void inject(Kind kind) throws Exception {
        long start = now();
        String detail;
        switch (kind) {
            case UPSTREAM_RESTART -> {
                peers.stopUpstream();
                sleepUntil(start + UPSTREAM_DOWN_MS);
                peers.startUpstream();
                detail = "upstream stopped for " + UPSTREAM_DOWN_MS + " ms, started again on port " + peers.upstreamPort();
            }
            case WRONG_PASSWORD -> {
                int rejectedBefore = peers.loginsRejected();
                peers.writePassword(false);
                sleepUntil(start + WRONG_PASSWORD_MS);
                peers.writePassword(true);
                detail = "wrong password for " + WRONG_PASSWORD_MS + " ms; the upstream rejected "
                        + (peers.loginsRejected() - rejectedBefore) + " login(s)";
            }
            case PAC_DIRECT, PAC_UPSTREAM -> {
                int fetchesBefore = peers.pacFetches();
                peers.routeThroughUpstream(kind == Kind.PAC_UPSTREAM);
                sleepUntil(start + pacRefreshMs + RECOVERY_MS);
                detail = "PAC now " + (kind == Kind.PAC_DIRECT ? "DIRECT" : "through the upstream") + "; Gangway fetched it "
                        + (peers.pacFetches() - fetchesBefore) + " time(s) in the window";
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        synchronized (windows) {
            windows.add(new Window(kind, start, start + windowMs(kind), detail));
        }
        System.out.printf("# %6.1f s  %s: %s%n", start / 1000.0, kind, detail);
    }

    /** Why the schedule stopped early, or null. */
    String error() {
        return error;
    }

    /** The windows so far (a fault under way is in none yet: call after the run). */
    List<Window> windows() {
        synchronized (windows) {
            return List.copyOf(windows);
        }
    }

    private long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private boolean sleepUntil(long ms) {
        try {
            long wait = ms - now();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
