package io.gangway.core.server;

import io.gangway.auth.AuthSchemes;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.Profile;
import io.gangway.core.config.PublishSpec;
import io.gangway.core.config.RoutingProfile;
import io.gangway.core.http.AccessLog;
import io.gangway.core.http.ClientAcl;
import io.gangway.core.http.ClientInitializer;
import io.gangway.core.http.PortForwardInitializer;
import io.gangway.core.http.ProxyContext;
import io.gangway.core.http.TransparentInitializer;
import io.gangway.core.log.GangwayLogConfigurator;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.RouteSources;
import io.gangway.core.routing.Router;
import io.gangway.core.routing.SecretFileWatcher;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.HostResolver;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnector;
import io.gangway.routing.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Gangway: its listeners, event loops and shared parts, and per routing profile its
 * router, credentials, upstream pools and authenticator. The containers profile is built only
 * when a listener serves it.
 */
public final class GangwayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final Logger lifecycle = LoggerFactory.getLogger(GangwayLogConfigurator.LIFECYCLE);

    private final GangwayConfig config;
    private final Transport transport;
    private final HostResolver resolver;
    private final ServerStats stats = new ServerStats();
    private final Map<Profile, ProxyContext> contexts = new EnumMap<>(Profile.class);
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    /** Token work that may block (Kerberos asks the KDC), kept off the event loops. */
    private final ExecutorService authExecutor;

    /**
     * @param env the environment that routing reads (HTTP_PROXY and friends) in system mode
     */
    public GangwayServer(GangwayConfig config, Map<String, String> env) {
        this(config, env, HostResolver.NameLookup.SYSTEM);
    }

    /** @param names how host names are looked up: the OS resolver, or a scripted one in tests */
    public GangwayServer(GangwayConfig config, Map<String, String> env, HostResolver.NameLookup names) {
        this.config = config;
        this.transport = Transport.create(Runtime.getRuntime().availableProcessors());
        this.resolver = new HostResolver(16, config.timeouts().connect(), names);
        this.authExecutor = DaemonPools.bounded("gangway-auth", 4, 1000);
        AuthSchemes schemes = AuthSchemes.discover(env);
        CredentialGuard guard = new CredentialGuard(config.lockout().backoff(), config.lockout().max(), config.lockout().stateFile());
        AccessLog accessLog = new AccessLog(config.accessLog());
        contexts.put(Profile.ENGINE, context(config.engine(), env, schemes, guard, accessLog));
        if (!config.listeners().containers().isEmpty() || !config.listeners().transparent().isEmpty()) {
            contexts.put(Profile.CONTAINERS, context(config.containers(), env, schemes, guard, accessLog));
        }
    }

    /** What one profile's connections share. */
    private ProxyContext context(RoutingProfile profile, Map<String, String> env, AuthSchemes schemes,
                                 CredentialGuard guard, AccessLog accessLog) {
        UpstreamCredentials credentials = new UpstreamCredentials();
        Router router = new Router(RouteSources.create(profile, config, env, credentials), new RouteDatabase(config.timeouts().routeRetry()));
        owned.add(router);
        UpstreamConnector connector = new UpstreamConnector(transport, config, profile.route().upstreamCa(), router.database(),
                credentials, resolver, stats);
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(schemes, profile.account().auth(), credentials, guard,
                authExecutor, profile.account().kerberosCanonicalize());
        SecretFileWatcher watcher = SecretFileWatcher.start(profile, credentials);
        if (watcher != null) {
            owned.add(watcher);
        }
        return new ProxyContext(profile.profile(), config, router, connector, authenticator, accessLog, stats);
    }

    /**
     * Binds every listen address: the engine's, the containers', then the published ports;
     * returns the bound addresses in that order (port 0 resolved).
     */
    public List<InetSocketAddress> start() throws InterruptedException {
        ClientAcl acl = new ClientAcl(config.listeners().allow());
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            bind(config.listeners().engine(), new ClientInitializer(contexts.get(Profile.ENGINE), acl), "", bound);
            if (contexts.containsKey(Profile.CONTAINERS)) {
                bind(config.listeners().containers(), new ClientInitializer(contexts.get(Profile.CONTAINERS), acl),
                        " (containers profile)", bound);
            }
            if (!config.listeners().transparent().isEmpty()) {
                if (!transport.name().equals("epoll")) {
                    throw new IllegalStateException("--transparent needs Linux (epoll): the original destination of a "
                            + "redirected connection cannot be read on " + transport.name());
                }
                bind(config.listeners().transparent(), new TransparentInitializer(contexts.get(Profile.CONTAINERS), acl,
                        config.listeners().ports()), " (transparent, ports " + config.listeners().ports() + ")", bound);
            }
            for (PublishSpec publish : config.listeners().publish()) {
                bind(List.of(publish.bind()), new PortForwardInitializer(publish, contexts.get(Profile.ENGINE), acl),
                        " (published: to " + publish.target() + ")", bound);
            }
        } catch (BindFailure | IllegalStateException e) {
            close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (ProxyContext context : contexts.values()) {
            log.info("routing ({} profile): {}; transport: {}", context.profile(), context.router().describe(), transport.name());
        }
        return bound;
    }

    private void bind(List<ListenAddress> addresses, ChannelHandler initializer, String what, List<InetSocketAddress> bound)
            throws BindFailure {
        ServerBootstrap bootstrap = serverBootstrap(initializer);
        if (initializer instanceof TransparentInitializer && transparentSocketsAllowed()) {
            // TPROXY delivers connections for addresses that are not this host's: IP_TRANSPARENT
            // (CAP_NET_ADMIN) lets the listener take them. REDIRECT needs no such right.
            bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        for (ListenAddress address : addresses) {
            Channel channel;
            try {
                channel = bootstrap.bind(new InetSocketAddress(address.address(), address.port())).sync().channel();
            } catch (Exception e) {
                throw new BindFailure(address, e);
            }
            listeners.add(channel);
            InetSocketAddress local = (InetSocketAddress) channel.localAddress();
            bound.add(local);
            lifecycle.info("listening on {}{}", HostPort.format(NetUtil.toAddressString(local.getAddress()), local.getPort()), what);
        }
    }

    /** A listen address that could not be bound, said as the user wrote it, with why. */
    private static final class BindFailure extends Exception {
        BindFailure(ListenAddress address, Exception cause) {
            super("cannot listen on " + address + ": " + reason(address, cause), cause);
        }

        private static String reason(ListenAddress address, Exception cause) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Cannot assign requested address") || message.contains("EADDRNOTAVAIL")) {
                return "no interface of this machine has the address " + address.host()
                        + " (yet: a bridge such as docker0 exists only once its engine runs)";
            }
            if (message.contains("Address already in use") || message.contains("EADDRINUSE")) {
                return "the port is in use by another program";
            }
            if (message.contains("Permission denied") || message.contains("EACCES")) {
                return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            }
            return cause instanceof java.net.UnknownHostException ? "unknown host " + address.host() : message;
        }
    }

    /** Whether this process holds CAP_NET_ADMIN (bit 12 of its effective capabilities), which IP_TRANSPARENT needs. */
    private static boolean transparentSocketsAllowed() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:"))
                    .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & (1L << 12)) != 0);
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
    }

    private ServerBootstrap serverBootstrap(ChannelHandler initializer) {
        return new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.receiveBuffers())
                .childHandler(initializer);
    }

    public ServerStats stats() {
        return stats;
    }

    @Override
    public void close() {
        for (Channel channel : listeners) {
            channel.close().awaitUninterruptibly();
        }
        listeners.clear();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        resolver.close();
        authExecutor.shutdownNow();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", c, e.toString());
            }
        }
    }
}
