package io.gangway.core.server;

import io.gangway.core.config.OverloadLimit;
import io.gangway.core.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Live counters of a running proxy: what is open now and what happened so far. */
public final class ServerStats {

    private final Telemetry telemetry;
    private final ConnectionBudget budget = new ConnectionBudget();
    private final OverloadLog overloadLog = new OverloadLog();

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

    /** The connections and tunnels counted against the overload limits. */
    public ConnectionBudget budget() {
        return budget;
    }

    /** Every accepted client connection open now, those being refused included. */
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

    public int openTunnels() {
        return budget.openTunnels();
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

    /** A tunnel started (it was counted open by {@link ConnectionBudget#openTunnel}). */
    public void tunnelStarted() {
        tunnels.increment();
    }

    /** A client, tunnel or pipelined request was refused by {@code limit}: counted, and logged now and then. */
    public void refused(OverloadLimit limit, String client) {
        telemetry.refused(limit);
        overloadLog.refused(limit, client);
    }
}
