package io.gangway.core.server;

import static io.gangway.core.server.ListeningSockets.text;

import io.gangway.core.BuildInfo;
import io.gangway.core.admin.AdminBackend;
import io.gangway.core.admin.AdminInitializer;
import io.gangway.core.admin.Readiness;
import io.gangway.core.admin.ReloadOutcome;
import io.gangway.core.admin.StatusSnapshot;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.Profile;
import io.gangway.core.config.PublishSpec;
import io.gangway.core.http.ClientAcl;
import io.gangway.core.http.ClientInitializer;
import io.gangway.core.http.ContextSlot;
import io.gangway.core.http.PortForwardInitializer;
import io.gangway.core.http.ProxyContext;
import io.gangway.core.http.TransparentInitializer;
import io.gangway.core.log.GangwayLogConfigurator;
import io.gangway.core.policy.OwnListeners;
import io.gangway.core.telemetry.Telemetry;
import io.gangway.core.server.ListeningSockets.BindFailure;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.HostResolver;
import io.gangway.pac.PacRouteSource;
import io.gangway.routing.HostPort;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Gangway: its listeners, event loops and shared parts, and the {@link Generation}
 * of the configuration in force. A reload builds the next generation, opens the listeners it
 * adds, puts its contexts in the listeners' slots, closes the listeners it drops and retires the
 * old generation; connections and exchanges under way are left alone.
 */
public final class GangwayServer implements AutoCloseable, AdminBackend {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final Logger lifecycle = LoggerFactory.getLogger(GangwayLogConfigurator.LIFECYCLE);

    private final Transport transport;
    private final ServerStats stats;
    private final ListeningSockets sockets;
    private final Generation.Shared shared;
    /** Token work that may block (Kerberos asks the KDC), kept off the event loops. */
    private final ExecutorService authExecutor;
    private final Instant startedAt = Instant.now();
    private final Map<Profile, ContextSlot> slots = new EnumMap<>(Profile.class);
    /** The bound listeners by what they are ({@link Listener#key}), in the order they were opened. */
    private final Map<String, Bound> listeners = new LinkedHashMap<>();
    private volatile Generation current;
    private volatile boolean serving;
    private volatile ReloadOutcome lastReload;
    private volatile Supplier<GangwayConfig> configSource;
    /** Generations replaced by reloads; closed with the server should their grace period not have ended. */
    private final List<Generation> retired = new ArrayList<>();

    /**
     * @param env the environment that routing reads (HTTP_PROXY and friends) in system mode
     */
    public GangwayServer(GangwayConfig config, Map<String, String> env) {
        this(config, env, HostResolver.NameLookup.SYSTEM);
    }

    /** @param names how host names are looked up: the OS resolver, or a scripted one in tests */
    public GangwayServer(GangwayConfig config, Map<String, String> env, HostResolver.NameLookup names) {
        this.transport = Transport.create(Runtime.getRuntime().availableProcessors());
        this.sockets = new ListeningSockets(transport);
        this.stats = new ServerStats(config.admin().enabled() ? Telemetry.prometheus() : Telemetry.off());
        this.authExecutor = DaemonPools.bounded("gangway-auth", 4, 1000);
        CredentialGuard guard = new CredentialGuard(config.lockout().backoff(), config.lockout().max(), config.lockout().stateFile(),
                config.timeouts().response());
        this.shared = new Generation.Shared(transport, env, names, authExecutor, guard, stats, new OwnListeners());
        this.current = Generation.build(config, shared);
        for (Map.Entry<Profile, ProxyContext> e : current.contexts().entrySet()) {
            slots.put(e.getKey(), new ContextSlot(e.getValue()));
        }
        ServerMeters.bind(this, guard);
    }

    /** Where {@link #reload} reads the configuration again (the same file, environment and flags as at start). */
    public void reloadFrom(Supplier<GangwayConfig> source) {
        this.configSource = source;
    }

    /** One listener of a configuration: where, what it serves, and how its connections are set up. */
    private record Listener(String key, ListenAddress address, String serves, String logged,
                            Supplier<ChannelHandler> initializer) {
    }

    private record Bound(Listener listener, Channel channel) {
    }

    /** The listeners {@code config} asks for: proxy, containers, transparent, published, admin. */
    private List<Listener> listenersOf(GangwayConfig config) {
        List<Listener> out = new ArrayList<>();
        for (ListenAddress a : config.listeners().engine()) {
            out.add(new Listener("proxy " + a, a, "proxy (engine profile)", "", () -> new ClientInitializer(slot(Profile.ENGINE))));
        }
        for (ListenAddress a : config.listeners().containers()) {
            out.add(new Listener("containers " + a, a, "proxy (containers profile)", " (containers profile)",
                    () -> new ClientInitializer(slot(Profile.CONTAINERS))));
        }
        for (ListenAddress a : config.listeners().transparent()) {
            out.add(new Listener("transparent " + a, a, "transparent (containers profile)", " (transparent, ports "
                    + config.listeners().ports() + ")", () -> new TransparentInitializer(slot(Profile.CONTAINERS))));
        }
        for (PublishSpec p : config.listeners().publish()) {
            out.add(new Listener("publish " + p, p.bind(), "published: to " + p.target(), " (published: to " + p.target() + ")",
                    () -> new PortForwardInitializer(p, slot(Profile.ENGINE))));
        }
        if (config.admin().enabled()) {
            ListenAddress a = config.admin().address();
            out.add(new Listener("admin " + a + " " + config.admin().allow(), a, "admin", " (admin)",
                    () -> new AdminInitializer(this, new ClientAcl(config.admin().allow()))));
        }
        return out;
    }

    private ContextSlot slot(Profile profile) {
        return slots.get(profile);
    }

    /**
     * Binds every listen address: the engine's, the containers', the transparent and published
     * ones, then the admin listener; returns the bound addresses in that order (port 0 resolved).
     */
    public synchronized List<InetSocketAddress> start() throws InterruptedException {
        List<InetSocketAddress> bound = new ArrayList<>();
        lifecycle.info("{}", BuildInfo.current().describe());
        try {
            transparentCheck(current.config());
            for (Listener l : listenersOf(current.config())) {
                bound.add(bind(l));
            }
        } catch (BindFailure | IllegalStateException e) {
            close();
            throw new IllegalStateException(e.getMessage(), e);
        }
        logRouting(current);
        serving = true;
        return bound;
    }

    private void transparentCheck(GangwayConfig config) {
        if (!config.listeners().transparent().isEmpty() && !transport.name().equals("epoll")) {
            throw new IllegalStateException("--transparent needs Linux (epoll): the original destination of a "
                    + "redirected connection cannot be read on " + transport.name());
        }
    }

    private void logRouting(Generation g) {
        for (ProxyContext context : g.contexts().values()) {
            log.info("routing ({} profile): {}; transport: {}", context.profile(), context.router().describe(), transport.name());
        }
        GangwayConfig config = g.config();
        if (config.clientAuth() != null) {
            log.info("client authentication: the proxy listeners ask for a user of {} ({} users)",
                    config.clientAuth().file(), config.clientAuth().size());
            if (!config.listeners().transparent().isEmpty() || !config.listeners().publish().isEmpty()) {
                log.warn("client authentication does not cover the transparent and published ports: their clients "
                        + "speak no proxy HTTP to be asked for credentials; only --allow guards them");
            }
        }
        String destinations = g.destinations().describe();
        if (destinations != null) {
            log.info("destination policy: {}", destinations);
        }
    }

    /** Listening sockets systemd passed: a listener on one of their addresses adopts it instead of binding. */
    public void adopt(InheritedSockets inherited) {
        sockets.adopt(inherited);
    }

    private InetSocketAddress bind(Listener listener) throws BindFailure {
        ChannelHandler initializer = listener.initializer().get();
        Channel channel = sockets.open(listener.address(), initializer);
        listeners.put(listener.key(), new Bound(listener, channel));
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        shared.listeners().opened(local, initializer instanceof AdminInitializer);
        lifecycle.info("listening on {}{}", text(local), listener.logged());
        return local;
    }

    /**
     * Reads the configuration again and puts it in force for new connections and requests. An
     * invalid configuration, or a new listener that cannot be bound, changes nothing.
     */
    @Override
    public synchronized ReloadOutcome reload() {
        Supplier<GangwayConfig> source = configSource;
        if (source == null) {
            return reloaded(false, "this Gangway was not started from a configuration it can read again");
        }
        if (!serving) {
            return reloaded(false, "Gangway is not serving");
        }
        GangwayConfig next;
        try {
            next = source.get();
            transparentCheck(next);
        } catch (ConfigException | IllegalStateException e) {
            log.warn("reload refused, the configuration in force stays: {}", e.getMessage());
            return reloaded(false, "invalid configuration, nothing changed: " + e.getMessage());
        }
        if (next.admin().enabled() != current.config().admin().enabled()) {
            return reloaded(false, "the admin listener can be moved by a reload but not turned on or off: restart Gangway");
        }
        Generation fresh;
        try {
            fresh = Generation.build(next, shared);
        } catch (RuntimeException e) {
            log.warn("reload refused, the configuration in force stays: {}", e.getMessage());
            return reloaded(false, "could not set up the new configuration, nothing changed: " + e.getMessage());
        }
        return swap(fresh);
    }

    private ReloadOutcome swap(Generation fresh) {
        List<Listener> wanted = listenersOf(fresh.config());
        List<String> wantedKeys = wanted.stream().map(Listener::key).toList();
        List<String> opened = new ArrayList<>();
        List<String> openedKeys = new ArrayList<>();
        Map<Profile, ProxyContext> before = new EnumMap<>(Profile.class);
        slots.forEach((p, s) -> before.put(p, s.get()));
        // The slots first, so that a listener opened below serves the new settings from its first connection.
        fresh.contexts().forEach((profile, context) -> slots.computeIfAbsent(profile, p -> new ContextSlot(context)).set(context));
        List<Bound> displaced = new ArrayList<>();
        try {
            for (Listener l : wanted) {
                if (!listeners.containsKey(l.key())) {
                    displaced.addAll(closeSameAddress(l.address(), wantedKeys)); // its port changes hands
                    opened.add(text(bind(l)));
                    openedKeys.add(l.key());
                }
            }
        } catch (BindFailure e) {
            openedKeys.forEach(key -> unbind(listeners.remove(key)).awaitUninterruptibly());
            before.forEach((p, context) -> slots.get(p).set(context));
            for (Bound b : displaced) {
                try {
                    bind(b.listener());
                } catch (BindFailure again) {
                    log.warn("could not listen again on {}: {}", b.listener().address(), again.getMessage());
                }
            }
            fresh.close();
            log.warn("reload refused, the configuration in force stays: {}", e.getMessage());
            return reloaded(false, "nothing changed: " + e.getMessage());
        }
        List<String> closed = new ArrayList<>();
        for (String key : new ArrayList<>(listeners.keySet())) {
            if (!wantedKeys.contains(key)) {
                Bound gone = listeners.remove(key);
                unbind(gone); // accepted connections stay open: only the listening socket goes
                closed.add(text((InetSocketAddress) gone.channel().localAddress()));
                lifecycle.info("stopped listening on {} ({})", closed.get(closed.size() - 1), gone.listener().serves());
            }
        }
        Generation old = current;
        current = fresh;
        old.retire();
        retired.add(old);
        transport.group().schedule(() -> closeRetired(old), Generation.RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
        logRouting(fresh);
        String message = "configuration reloaded" + (opened.isEmpty() ? "" : "; now also listening on " + String.join(", ", opened))
                + (closed.isEmpty() ? "" : "; stopped listening on " + String.join(", ", closed));
        lifecycle.info(message);
        return reloaded(true, message);
    }

    /** Closes the listeners on {@code address} that the new configuration drops, so that their port can be bound again. */
    private List<Bound> closeSameAddress(ListenAddress address, List<String> wantedKeys) {
        List<Bound> closed = new ArrayList<>();
        if (address.port() == 0) {
            return closed;
        }
        for (String key : new ArrayList<>(listeners.keySet())) {
            Bound b = listeners.get(key);
            if (!wantedKeys.contains(key) && b.listener().address().equals(address)) {
                listeners.remove(key);
                unbind(b).awaitUninterruptibly();
                closed.add(b);
            }
        }
        return closed;
    }

    /** Closes a listening socket; the destination policy stops counting it as Gangway's own. */
    private io.netty.channel.ChannelFuture unbind(Bound b) {
        shared.listeners().closed((InetSocketAddress) b.channel().localAddress());
        return b.channel().close();
    }

    private synchronized void closeRetired(Generation old) {
        old.close();
        retired.remove(old);
    }

    private ReloadOutcome reloaded(boolean applied, String message) {
        ReloadOutcome outcome = new ReloadOutcome(Instant.now(), applied, message);
        lastReload = outcome;
        return outcome;
    }

    @Override
    public Readiness readiness() {
        List<String> problems = new ArrayList<>();
        if (!serving) {
            problems.add("the listeners are not bound yet");
        }
        for (ProxyContext context : current.contexts().values()) {
            if (context.router().source() instanceof PacRouteSource pac) {
                PacRouteSource.Status s = pac.status();
                if (!s.usable()) {
                    problems.add(context.profile() + " profile: " + (s.loading() ? "the PAC " + s.location() + " is loading"
                            : "no PAC from " + s.location() + " (" + s.lastError() + ") and pac-fallback is fail"));
                }
            }
        }
        return new Readiness(problems.isEmpty(), List.copyOf(problems));
    }

    @Override
    public StatusSnapshot status() {
        Generation g = current;
        List<StatusSnapshot.Listener> bound = new ArrayList<>();
        listeners.values().forEach(b -> bound.add(new StatusSnapshot.Listener(text((InetSocketAddress) b.channel().localAddress()),
                b.listener().serves())));
        List<StatusSnapshot.ProfileState> profiles = new ArrayList<>();
        for (ProxyContext context : g.contexts().values()) {
            PacRouteSource.Status pac = context.router().source() instanceof PacRouteSource p ? p.status() : null;
            profiles.add(new StatusSnapshot.ProfileState(context.profile().key(), context.router().describe(), pac,
                    context.router().database().postponed()));
        }
        Telemetry t = stats.telemetry();
        return new StatusSnapshot(version(), startedAt, readiness(), bound, profiles, shared.guard().backOffs(),
                t.upstreamConnections(), new StatusSnapshot.Counts(stats.openClientConnections(), stats.openTunnels(),
                stats.openUpstreamConnections(), stats.requests(), stats.tunnels(), stats.upstreamConnectionsOpened()),
                t.recent().exchanges(), t.recent().failures(), lastReload);
    }

    /** Gangway's version, from what the build wrote ("unknown" when it wrote nothing). */
    public static String version() {
        return BuildInfo.current().version();
    }

    @Override
    public Telemetry telemetry() {
        return stats.telemetry();
    }

    @Override
    public boolean acceptsHost(String host) {
        return shared.listeners().acceptsHost(host);
    }

    @Override
    public String proxyAddressFor(InetSocketAddress reachedAt) {
        for (Bound b : listeners.values()) {
            if (b.listener().key().startsWith("proxy ")) {
                InetSocketAddress a = (InetSocketAddress) b.channel().localAddress();
                return a.getAddress().isAnyLocalAddress() ? HostPort.format(NetUtil.toAddressString(reachedAt.getAddress()),
                        a.getPort()) : text(a);
            }
        }
        throw new IllegalStateException("no proxy listener");
    }

    public ServerStats stats() {
        return stats;
    }

    /** The profile's context in force, or null when no listener serves the profile. */
    ProxyContext currentContext(Profile profile) {
        return current.context(profile);
    }

    /** The configuration in force (the one given at start, or the last one a reload applied). */
    public GangwayConfig config() {
        return current.config();
    }

    @Override
    public synchronized void close() {
        serving = false;
        for (Bound b : listeners.values()) {
            b.channel().close().awaitUninterruptibly();
        }
        listeners.clear();
        // Idle pooled connections are closed by tasks on their loops, which the graceful shutdown
        // runs before the loops end: leaving them to the loops' own teardown let one stay open.
        current.retire();
        transport.shutdownAcceptor();
        transport.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        authExecutor.shutdownNow();
        retired.forEach(Generation::close);
        current.close();
    }
}
