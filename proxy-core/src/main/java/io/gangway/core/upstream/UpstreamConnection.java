package io.gangway.core.upstream;

import io.gangway.routing.Route;
import io.netty.channel.Channel;

/**
 * One TCP connection to an upstream proxy or an origin, with its authentication state. Lives on
 * one event loop, and only that loop touches it (token work on other threads hands its results
 * back to the loop, see {@link ConnectionAuth}).
 */
public final class UpstreamConnection {

    private final Channel channel;
    private final PoolKey key;
    private final ConnectionAuth auth = new ConnectionAuth();
    private UpstreamListener listener;
    /** When the pool took it back (the loop's clock), for its idle timeout. */
    private long idleSince;
    private int exchanges;

    UpstreamConnection(Channel channel, PoolKey key) {
        this.channel = channel;
        this.key = key;
    }

    public Channel channel() {
        return channel;
    }

    public Route route() {
        return key.route();
    }

    /** Who is at the far end, for messages: the origin for DIRECT ("origin host:port"), else the route. */
    public String peer() {
        return route().isDirect() ? "origin " + key().origin() : route().toString();
    }

    public PoolKey key() {
        return key;
    }

    ConnectionAuth auth() {
        return auth;
    }

    /** True when an earlier exchange used this connection: it may have been closed under us. */
    public boolean reused() {
        return exchanges > 1;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /** Hands the connection to a new exchange. */
    void startExchange(UpstreamListener newListener) {
        listener = newListener;
        auth.newExchange();
        exchanges++;
    }

    /** Passes the events of the rest of this exchange to another listener (the flow hands over). */
    public void handOver(UpstreamListener newListener) {
        listener = newListener;
    }

    public void detach() {
        listener = null;
    }

    UpstreamListener listener() {
        return listener;
    }

    void idleSince(long nanos) {
        idleSince = nanos;
    }

    long idleSince() {
        return idleSince;
    }

    public void close() {
        listener = null;
        channel.close();
    }

    @Override
    public String toString() {
        return key.route() + " " + channel.localAddress() + "->" + channel.remoteAddress();
    }
}
