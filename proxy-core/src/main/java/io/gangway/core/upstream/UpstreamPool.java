package io.gangway.core.upstream;

import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Idle upstream connections of one event loop, by {@link PoolKey}. Owned by that loop, so it
 * needs no locks; the most recently used connection goes out first (the warmest, least likely to
 * have been closed by the upstream).
 */
final class UpstreamPool {

    private final EventLoop loop;
    private final int maxIdlePerKey;
    private final long idleNanos;
    private final Map<PoolKey, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();

    UpstreamPool(EventLoop loop, int maxIdlePerKey, Duration idleTimeout) {
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
        queue.addLast(conn);
        conn.idleClose(loop.schedule(() -> {
            remove(conn);
            conn.close();
        }, idleNanos, TimeUnit.NANOSECONDS));
    }

    /** Forgets a connection that closed or misbehaved while idle. */
    void remove(UpstreamConnection conn) {
        ArrayDeque<UpstreamConnection> queue = idle.get(conn.key());
        if (queue != null) {
            queue.remove(conn);
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
