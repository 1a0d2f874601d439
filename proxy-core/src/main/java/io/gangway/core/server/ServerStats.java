package io.gangway.core.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running proxy: what is open now and what happened so far. */
public final class ServerStats {

    final AtomicInteger openClientConnections = new AtomicInteger();
    final AtomicInteger openUpstreamConnections = new AtomicInteger();
    final LongAdder upstreamConnectionsOpened = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder tunnels = new LongAdder();

    public int openClientConnections() {
        return openClientConnections.get();
    }

    public int openUpstreamConnections() {
        return openUpstreamConnections.get();
    }

    public long upstreamConnectionsOpened() {
        return upstreamConnectionsOpened.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public long tunnels() {
        return tunnels.sum();
    }

    public void clientOpened() {
        openClientConnections.incrementAndGet();
    }

    public void clientClosed() {
        openClientConnections.decrementAndGet();
    }

    public void upstreamOpened() {
        openUpstreamConnections.incrementAndGet();
        upstreamConnectionsOpened.increment();
    }

    public void upstreamClosed() {
        openUpstreamConnections.decrementAndGet();
    }

    public void requestStarted() {
        requests.increment();
    }

    public void tunnelStarted() {
        tunnels.increment();
    }
}
