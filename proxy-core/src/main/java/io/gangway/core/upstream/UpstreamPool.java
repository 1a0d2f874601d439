package io.gangway.core.upstream;

import io.netty.channel.EventLoop;
import io.gangway.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle upstream connections of one event loop, by {@link PoolKey}. Owned by that loop, so it
 * needs no locks; the most recently used connection goes out first (the warmest, least likely to
 * have been closed by the upstream), so each key's queue is in the order of release and its
 * head is the one idle the longest. One sweep timer per pool closes those whose idle time is up,
 * rather than a timer per release that the next request cancels (a priority-queue insert and
 * removal on the loop per request).
 */
final class UpstreamPool {

    private final EventLoop loop;
    private final int maxIdlePerKey;
    private final long idleNanos;
    private final Map<PoolKey, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();

    private final Telemetry telemetry;
    private boolean sweepScheduled;

    UpstreamPool(EventLoop loop, int maxIdlePerKey, Duration idleTimeout) {
        this(loop, maxIdlePerKey, idleTimeout, Telemetry.off());
    }

    /** @param telemetry told how many connections idle here, per route */
    UpstreamPool(EventLoop loop, int maxIdlePerKey, Duration idleTimeout, Telemetry telemetry) {
        this.telemetry = telemetry;
        this.loop = loop;
        this.maxIdlePerKey = maxIdlePerKey;
        this.idleNanos = idleTimeout.toNanos();
    }

    /** An idle, open connection for the key, or null. */
    UpstreamConnection poll(PoolKey key) {
        assert loop.inEventLoop();
        ArrayDeque<UpstreamConnection> queue = idle.get(key);
        while (queue != null && !queue.isEmpty()) {
            UpstreamConnection conn = queue.pollLast();
            telemetry.upstreamConnections(conn.route(), 0, -1);
            if (conn.isActive()) {
                return conn;
            }
        }
        return null;
    }

    /** Keeps a connection whose exchange completed cleanly, or closes it when the pool is full. */
    void release(UpstreamConnection conn) {
        assert loop.inEventLoop();
        conn.detach();
        ArrayDeque<UpstreamConnection> queue = idle.computeIfAbsent(conn.key(), k -> new ArrayDeque<>());
        if (!conn.isActive() || queue.size() >= maxIdlePerKey) {
            conn.close();
            return;
        }
        conn.idleSince(loop.ticker().nanoTime());
        queue.addLast(conn);
        telemetry.upstreamConnections(conn.route(), 0, 1);
        if (!sweepScheduled) {
            sweepScheduled = true;
            loop.schedule(this::sweep, idleNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connections idle for the idle timeout, then waits for the next to be. */
    private void sweep() {
        long now = loop.ticker().nanoTime();
        long next = Long.MAX_VALUE;
        for (var it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<UpstreamConnection> queue = it.next();
            while (!queue.isEmpty() && now - queue.peekFirst().idleSince() >= idleNanos) {
                UpstreamConnection expired = queue.pollFirst();
                telemetry.upstreamConnections(expired.route(), 0, -1);
                expired.close();
            }
            if (queue.isEmpty()) {
                it.remove();
            } else {
                next = Math.min(next, queue.peekFirst().idleSince() + idleNanos - now);
            }
        }
        sweepScheduled = next != Long.MAX_VALUE;
        if (sweepScheduled) {
            loop.schedule(this::sweep, next, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes every idle connection (the settings they were made with were replaced). */
    void closeAll() {
        for (ArrayDeque<UpstreamConnection> queue : new java.util.ArrayList<>(idle.values())) {
            for (UpstreamConnection conn : new java.util.ArrayList<>(queue)) {
                remove(conn);
                conn.close();
            }
        }
    }

    /** Forgets a connection that closed or misbehaved while idle. */
    void remove(UpstreamConnection conn) {
        ArrayDeque<UpstreamConnection> queue = idle.get(conn.key());
        if (queue != null && queue.remove(conn)) {
            telemetry.upstreamConnections(conn.route(), 0, -1);
            if (queue.isEmpty()) {
                idle.remove(conn.key());
            }
        }
    }

    /** How many connections of this key idle here (for tests and, later, the admin endpoint). */
    int idle(PoolKey key) {
        ArrayDeque<UpstreamConnection> queue = idle.get(key);
        return queue == null ? 0 : queue.size();
    }
}
