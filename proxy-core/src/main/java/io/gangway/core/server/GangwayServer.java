package io.gangway.core.server;

import io.gangway.auth.AuthSchemes;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.http.AccessLog;
import io.gangway.core.http.ClientAcl;
import io.gangway.core.http.ClientInitializer;
import io.gangway.core.http.ProxyContext;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.RouteSources;
import io.gangway.core.routing.SecretFileWatcher;
import io.gangway.core.routing.Router;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.HostResolver;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Gangway: its listeners, event loops and shared parts. */
public final class GangwayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final GangwayConfig config;
    private final Transport transport;
    private final HostResolver resolver;
    private final ServerStats stats = new ServerStats();
    private final ProxyContext context;
    private final List<Channel> listeners = new ArrayList<>();
    private final SecretFileWatcher secretWatcher;
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
        this.resolver = new HostResolver(16, config.connectTimeout(), names);
        UpstreamCredentials credentials = new UpstreamCredentials();
        Router router = new Router(RouteSources.create(config, env, credentials), new RouteDatabase(config.routeRetryDelay()));
        UpstreamConnector connector = new UpstreamConnector(transport, config, router.database(), credentials, resolver, stats);
        this.authExecutor = DaemonPools.bounded("gangway-auth", 4, 1000);
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(AuthSchemes.discover(env), config.auth(), credentials,
                new CredentialGuard(config.lockoutBackoff(), config.lockoutBackoffMax()), authExecutor,
                config.kerberosCanonicalize());
        this.secretWatcher = SecretFileWatcher.start(config, credentials);
        this.context = new ProxyContext(config, router, connector, authenticator, new AccessLog(config.accessLog()), stats);
    }

    /** Binds every listen address; returns the bound addresses (port 0 resolved). */
    public List<InetSocketAddress> start() throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.receiveBuffers())
                .childHandler(new ClientInitializer(context, new ClientAcl(config.allow())));
        List<InetSocketAddress> bound = new ArrayList<>();
        try {
            for (ListenAddress address : config.listen()) {
                Channel channel = bootstrap.bind(new InetSocketAddress(address.address(), address.port())).sync().channel();
                listeners.add(channel);
                InetSocketAddress local = (InetSocketAddress) channel.localAddress();
                bound.add(local);
                log.info("listening on {}", new ListenAddress(local.getAddress().getHostAddress(), local.getPort()));
            }
        } catch (Exception e) {
            close();
            throw new IllegalStateException("cannot listen: " + e.getMessage(), e);
        }
        log.info("routing: {}; transport: {}", context.router().describe(), transport.name());
        return bound;
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
        context.router().close();
        if (secretWatcher != null) {
            secretWatcher.close();
        }
    }
}
