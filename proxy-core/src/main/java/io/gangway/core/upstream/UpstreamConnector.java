package io.gangway.core.upstream;

import io.gangway.core.config.GangwayConfig;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.policy.Denial;
import io.gangway.core.policy.DestinationPolicy;
import io.gangway.core.policy.OwnListeners;
import io.gangway.core.server.ServerStats;
import io.gangway.core.server.Transport;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Gets an upstream connection for a route plan: a pooled one when it may, else a new one, walking
 * the plan on connect failure and recording failed upstreams in the {@link RouteDatabase}.
 */
public final class UpstreamConnector implements ConnectionSource {

    /** Pipeline names, used when a tunnel or an upgrade strips the HTTP handlers. */
    public static final String CODEC = "http";
    public static final String TIMEOUT = "timeout";
    public static final String HANDLER = "upstream";

    private final Transport transport;
    private final GangwayConfig config;
    private final RouteDatabase routes;
    private final UpstreamCredentials credentials;
    private final HostResolver resolver;
    private final ServerStats stats;
    private final Map<EventLoop, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final RouteHandshake handshake;
    private final DestinationPolicy destinations;
    /** Set when a reload replaced this connector: connections that come back are closed, not pooled. */
    private volatile boolean retired;

    /** @param upstreamCa the CA file that https:// upstream proxies are checked against, or null for the JDK's */
    public UpstreamConnector(Transport transport, GangwayConfig config, java.nio.file.Path upstreamCa, RouteDatabase routes,
                             UpstreamCredentials credentials, HostResolver resolver, ServerStats stats) {
        this(transport, config, upstreamCa, routes, credentials, resolver, stats,
                DestinationPolicy.loopbackDefault(new OwnListeners()));
    }

    /** @param destinations checks the addresses a DIRECT connection would be made to, before it is */
    public UpstreamConnector(Transport transport, GangwayConfig config, java.nio.file.Path upstreamCa, RouteDatabase routes,
                             UpstreamCredentials credentials, HostResolver resolver, ServerStats stats,
                             DestinationPolicy destinations) {
        this.destinations = destinations;
        this.transport = transport;
        this.config = config;
        this.routes = routes;
        this.credentials = credentials;
        this.resolver = resolver;
        this.stats = stats;
        this.handshake = new RouteHandshake(UpstreamTls.lazyContext(upstreamCa), config.timeouts().connect());
    }

    /** What a connection is wanted for, which says whether a pooled one will do. */
    public enum Use {
        /** A plain request: a pooled connection, else a new one. */
        REQUEST,
        /** A CONNECT tunnel: a DIRECT or SOCKS one must be new; a pooled proxy connection saves a handshake. */
        TUNNEL,
        /** Another try after a connection was closed under a request: a new connection only. */
        RETRY,
        /**
         * A published port's connection: new, DIRECT, to the target the configuration names, which
         * the destination policy leaves alone (but for the admin listener).
         */
        PUBLISHED
    }

    @Override
    public void acquire(EventLoop loop, RoutePlan plan, Target target, Target direct, Use use, ConnectCallback callback) {
        new Attempt(loop, plan.routes(), target, direct, use, callback).next();
    }

    /** Returns a connection whose exchange ended cleanly to its loop's pool. */
    @Override
    public void release(UpstreamConnection conn) {
        if (retired) {
            conn.close();
            return;
        }
        pool(conn.channel().eventLoop()).release(conn);
    }

    @Override
    public void routeFailed(Route route, String reason) {
        if (!route.isDirect()) {
            routes.failed(route, reason);
        }
    }

    /**
     * After a reload: the idle connections (made with the old settings and credentials) are
     * closed, and those still busy are closed when they come back.
     */
    public void retire() {
        retired = true;
        pools.forEach((loop, pool) -> loop.execute(pool::closeAll));
    }

    /** @param target where the connection leads: for DIRECT the address connected to, for SOCKS the name asked for */
    public PoolKey key(Route route, Target target) {
        // DIRECT and SOCKS connections lead to one target; an HTTP proxy's serve any
        return new PoolKey(route, route.isHttpProxy() ? "" : target.authority(), credentials.identity(route));
    }

    private UpstreamPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new UpstreamPool(l, config.limits().poolMaxIdle(), config.timeouts().poolIdle(),
                stats.telemetry()));
    }

    /** One walk along a plan. */
    private final class Attempt {
        private final EventLoop loop;
        private final List<Route> plan;
        private final Target target;
        /** Where DIRECT connections go: the target, or the address a transparent client connected to. */
        private final Target direct;
        private final Use use;
        private final ConnectCallback callback;
        private final List<String> failures = new ArrayList<>();
        private boolean allTimeouts = true;
        private int index;

        Attempt(EventLoop loop, List<Route> plan, Target target, Target direct, Use use, ConnectCallback callback) {
            this.loop = loop;
            this.plan = plan;
            this.target = target;
            this.direct = direct;
            this.use = use;
            this.callback = callback;
        }

        void next() {
            if (index >= plan.size()) {
                callback.onFailed(String.join("; ", failures), allTimeouts);
                return;
            }
            Route route = plan.get(index++);
            if (route.isRejection()) {
                callback.onRefused("the routing policy refuses " + target.authority() + " (" + route + ")");
                return;
            }
            PoolKey key = key(route, route.isDirect() ? direct : target);
            UpstreamPool pool = pool(loop);
            if (use == Use.REQUEST || use == Use.TUNNEL && route.isHttpProxy()) {
                UpstreamConnection pooled = pool.poll(key);
                if (pooled != null) {
                    callback.onConnected(pooled);
                    return;
                }
            }
            String host = route.isDirect() ? direct.host() : route.host();
            int port = route.isDirect() ? direct.port() : route.port();
            resolver.resolve(host, loop).addListener(f -> {
                if (!f.isSuccess()) {
                    fail(route, f.cause());
                    return;
                }
                @SuppressWarnings("unchecked")
                List<InetAddress> addresses = (List<InetAddress>) f.getNow();
                if (route.isDirect()) {
                    // these very addresses are dialled below: no second lookup can answer otherwise
                    Denial denial = use == Use.PUBLISHED ? destinations.checkPublished(addresses, port)
                            : destinations.checkResolved(host, addresses, port);
                    if (denial != null) {
                        callback.onProhibited(denial.message());
                        return;
                    }
                }
                connect(route, key, pool, addresses, 0, port);
            });
        }

        private void connect(Route route, PoolKey key, UpstreamPool pool, List<InetAddress> addresses, int i, int port) {
            UpstreamHandler handler = new UpstreamHandler(pool);
            InetSocketAddress resolved = new InetSocketAddress(addresses.get(i), port);
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(transport.socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.timeouts().connect().toMillis())
                    // no TCP_NODELAY: Netty's socket channels set it already (a second setsockopt per connection)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, Transport.receiveBuffers())
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            HttpDecoderConfig decoder = new HttpDecoderConfig()
                                    .setMaxInitialLineLength(config.limits().requestLine())
                                    .setMaxHeaderSize(config.limits().headerSize());
                            handshake.install(ch, route, resolved);
                            ch.pipeline().addLast(CODEC, new HttpClientCodec(decoder, false, false));
                            ch.pipeline().addLast(TIMEOUT, new IdleStateHandler(0, 0,
                                    config.timeouts().response().toMillis(), TimeUnit.MILLISECONDS));
                            ch.pipeline().addLast(HANDLER, handler);
                        }
                    });
            if (route.isSocks()) {
                bootstrap.resolver(NoopAddressResolverGroup.INSTANCE); // the SOCKS proxy resolves the target
            }
            long started = System.nanoTime();
            ChannelFuture future = bootstrap.connect(handshake.connectAddress(route, target, resolved));
            future.addListener(f -> {
                if (f.isSuccess()) {
                    stats.upstreamOpened();
                    stats.telemetry().upstreamConnections(route, 1, 0);
                    future.channel().closeFuture().addListener(c -> {
                        stats.upstreamClosed();
                        stats.telemetry().upstreamConnections(route, -1, 0);
                    });
                    Future<?> ready = handshake.ready(future.channel());
                    if (ready == null) {
                        connected(route, key, handler, future.channel(), started);
                    } else {
                        ready.addListener(h -> {
                            if (h.isSuccess()) {
                                connected(route, key, handler, future.channel(), started);
                            } else {
                                future.channel().close();
                                // a TLS failure is the proxy's; a SOCKS refusal may be the target's
                                fail(route, h.cause(), route.kind() == Route.Kind.HTTPS);
                            }
                        });
                    }
                } else if (i + 1 < addresses.size()) {
                    connect(route, key, pool, addresses, i + 1, port);
                } else {
                    fail(route, f.cause());
                }
            });
        }

        private void connected(Route route, PoolKey key, UpstreamHandler handler, Channel channel, long started) {
            stats.telemetry().connected(System.nanoTime() - started);
            if (!route.isDirect()) {
                routes.connected(route);
            }
            UpstreamConnection conn = new UpstreamConnection(channel, key);
            handler.bind(conn);
            callback.onConnected(conn);
        }

        private void fail(Route route, Throwable cause) {
            fail(route, cause, !route.isDirect()); // a dead origin says nothing about the route
        }

        private void fail(Route route, Throwable cause, boolean routeFailed) {
            if (routeFailed) {
                routes.failed(route, describe(cause));
            }
            boolean timeout = cause instanceof ConnectTimeoutException || cause instanceof HostResolver.LookupTimeoutException;
            allTimeouts &= timeout;
            failures.add(route + (route.isHttpProxy() ? "" : " to " + (route.isDirect() ? direct : target).authority())
                    + ": " + describe(cause));
            next();
        }

        private String describe(Throwable cause) {
            if (cause instanceof ConnectTimeoutException) {
                return "no answer within " + config.timeouts().connect().toSeconds() + "s";
            }
            if (cause instanceof HostResolver.LookupTimeoutException) {
                return cause.getMessage() + " (connect-timeout)";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
                return "connection refused";
            }
            return String.valueOf(cause.getMessage());
        }
    }
}
