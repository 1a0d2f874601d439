package io.gangway.core.server;

import io.gangway.core.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running proxy: what is open now and what happened so far. */
public final class ServerStats {

    private final Telemetry telemetry;

    final AtomicInteger openClientConnections = new AtomicInteger();
    final AtomicInteger openUpstreamConnections = new AtomicInteger();
    final LongAdder upstreamConnectionsOpened = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder tunnels = new LongAdder();

    /** Counters only: nothing measured for an admin endpoint. */
    public ServerStats() {
        this(Telemetry.off());
    }

    public ServerStats(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** The meters and recent activity shown by the admin endpoint (off when it is). */
    public Telemetry telemetry() {
        return telemetry;
    }

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
        telemetry.tunnelOpened();
    }
}
