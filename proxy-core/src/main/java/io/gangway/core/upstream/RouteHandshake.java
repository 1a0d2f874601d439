package io.gangway.core.upstream;

import io.gangway.routing.Route;
import io.gangway.routing.Target;
import io.netty.channel.Channel;
import io.netty.handler.proxy.ProxyHandler;
import io.netty.handler.proxy.Socks4ProxyHandler;
import io.netty.handler.proxy.Socks5ProxyHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a route puts in front of the HTTP handlers of a new upstream connection, and when that
 * connection is ready: at once for DIRECT and plain HTTP proxies; after the TLS handshake for
 * an HTTPS proxy; after the SOCKS handshake (the proxy has connected to the target) for SOCKS,
 * which always sends the target's name (SOCKS4a, SOCKS5 with a domain address) so that names
 * resolve where the proxy is.
 */
final class RouteHandshake {

    static final String NAME = "route-handshake";

    private final Supplier<SslContext> tls;
    private final Duration timeout;

    /** @param tls made when the first HTTPS proxy is used: loading JSSE costs start-up time and memory */
    RouteHandshake(Supplier<SslContext> tls, Duration timeout) {
        this.tls = tls;
        this.timeout = timeout;
    }

    /**
     * The address to connect the channel to: the proxy or the target for DIRECT and HTTP(S);
     * for SOCKS the target, unresolved, which the SOCKS handler swaps for the proxy's address.
     */
    SocketAddress connectAddress(Route route, Target target, InetSocketAddress resolved) {
        return route.isSocks() ? InetSocketAddress.createUnresolved(target.host(), target.port()) : resolved;
    }

    /** Adds the route's handler (if any) at the head of the pipeline. */
    void install(Channel ch, Route route, InetSocketAddress resolved) {
        switch (route.kind()) {
            case HTTPS -> ch.pipeline().addFirst(NAME, tls.get().newHandler(ch.alloc(), route.host(), route.port()));
            case SOCKS4 -> ch.pipeline().addFirst(NAME, withTimeout(new Socks4ProxyHandler(resolved)));
            case SOCKS5 -> ch.pipeline().addFirst(NAME, withTimeout(new Socks5ProxyHandler(resolved)));
            default -> {
                // DIRECT and HTTP proxies speak HTTP from the first byte
            }
        }
    }

    /** Completes when the connection can carry the request; null when it already can. */
    Future<?> ready(Channel ch) {
        Object handler = ch.pipeline().get(NAME);
        if (handler instanceof SslHandler ssl) {
            return ssl.handshakeFuture();
        }
        if (handler instanceof ProxyHandler socks) {
            return socks.connectFuture();
        }
        return null;
    }

    private ProxyHandler withTimeout(ProxyHandler handler) {
        handler.setConnectTimeoutMillis(timeout.toMillis());
        return handler;
    }
}
