package io.gangway.core.upstream;

import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSession;
import io.gangway.routing.Route;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One TCP connection to an upstream proxy or an origin, with its authentication state. Lives on
 * one event loop; only that loop touches it.
 */
public final class UpstreamConnection {

    private final Channel channel;
    private final PoolKey key;
    private UpstreamListener listener;
    private ScheduledFuture<?> idleClose;
    private int exchanges;

    /** The handshake on this connection, if one started. */
    AuthScheme scheme;
    AuthSession session;
    /** A connection-bound handshake completed here: no more tokens needed. */
    boolean authenticated;
    /** Challenges answered in the current exchange, to stop a handshake that never ends. */
    int rounds;

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

    public PoolKey key() {
        return key;
    }

    /** True when an earlier exchange used this connection: it may have been closed under us. */
    public boolean reused() {
        return exchanges > 1;
    }

    public boolean isActive() {
        return channel.isActive();
    }

    /** Hands the connection to an exchange. */
    public void attach(UpstreamListener newListener) {
        if (idleClose != null) {
            idleClose.cancel(false);
            idleClose = null;
        }
        listener = newListener;
        rounds = 0;
        exchanges++;
    }

    public void detach() {
        listener = null;
    }

    UpstreamListener listener() {
        return listener;
    }

    void idleClose(ScheduledFuture<?> future) {
        idleClose = future;
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
