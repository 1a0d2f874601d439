package io.gangway.core.server;

import io.gangway.auth.AuthSchemes;
import io.gangway.core.clientauth.ClientUsersWatcher;
import io.gangway.core.clientauth.ClientVerifier;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
import io.gangway.core.config.RoutingProfile;
import io.gangway.core.http.AccessLog;
import io.gangway.core.http.ClientAcl;
import io.gangway.core.http.ProxyContext;
import io.gangway.core.policy.DestinationPolicy;
import io.gangway.core.policy.OwnListeners;
import io.gangway.core.routing.RouteDatabase;
import io.gangway.core.routing.RouteSources;
import io.gangway.core.routing.Router;
import io.gangway.core.routing.SecretFileWatcher;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.core.upstream.CredentialGuard;
import io.gangway.core.upstream.HostResolver;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one configuration runs on: per profile a {@link ProxyContext} (router, credentials,
 * connector and pools, authenticator), the name resolver with its timeout, and the background
 * work they own (PAC updaters, secret-file watchers). A reload builds a new generation beside
 * the running one; the old one is retired: its pooled connections closed, its background work
 * stopped once requests that were still being routed by it had time to finish.
 */
final class Generation {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    /** How long a retired generation's routers and watchers live on for requests still being routed. */
    static final long RETIRE_GRACE_SECONDS = 30;

    /** The parts every generation shares: threads, the lockout guard, the counters and where Gangway listens. */
    record Shared(Transport transport, Map<String, String> env, HostResolver.NameLookup names, Executor authExecutor,
                  CredentialGuard guard, ServerStats stats, OwnListeners listeners) {
    }

    private final GangwayConfig config;
    private final HostResolver resolver;
    /** One for both profiles: gateway mode is the configuration's, not a listener's. */
    private final DestinationPolicy destinations;
    /** One for both profiles' proxy listeners; null when no client-auth file is given. */
    private final ClientVerifier clientAuth;
    private final Map<Profile, ProxyContext> contexts = new EnumMap<>(Profile.class);
    private final List<AutoCloseable> owned = new ArrayList<>();
    private boolean closed;

    private Generation(GangwayConfig config, HostResolver resolver, DestinationPolicy destinations) {
        this.config = config;
        this.clientAuth = config.clientAuth() == null ? null : new ClientVerifier(config.clientAuth(), clientAuthPool());
        this.resolver = resolver;
        this.destinations = destinations;
    }

    /** Builds the contexts of {@code config}; the containers one only when a listener serves it. */
    static Generation build(GangwayConfig config, Shared shared) {
        Generation g = new Generation(config, new HostResolver(16, config.timeouts().connect(), shared.names()),
                new DestinationPolicy(config.listeners().gateway(), config.destinations(), shared.listeners(),
                        shared.stats().telemetry()));
        try {
            if (g.clientAuth != null) {
                g.owned.add(ClientUsersWatcher.start(g.clientAuth));
            }
            AuthSchemes schemes = AuthSchemes.discover(shared.env());
            AccessLog accessLog = new AccessLog(config.accessLog(), shared.stats().telemetry());
            g.contexts.put(Profile.ENGINE, g.context(config.engine(), shared, schemes, accessLog));
            if (!config.listeners().containers().isEmpty() || !config.listeners().transparent().isEmpty()) {
                g.contexts.put(Profile.CONTAINERS, g.context(config.containers(), shared, schemes, accessLog));
            }
            return g;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    private ProxyContext context(RoutingProfile profile, Shared shared, AuthSchemes schemes, AccessLog accessLog) {
        UpstreamCredentials credentials = new UpstreamCredentials();
        Router router = new Router(RouteSources.create(profile, config, shared.env(), credentials),
                new RouteDatabase(config.timeouts().routeRetry()));
        owned.add(router);
        UpstreamConnector connector = new UpstreamConnector(shared.transport(), config, profile.route().upstreamCa(),
                router.database(), credentials, resolver, shared.stats(), destinations);
        UpstreamAuthenticator authenticator = new UpstreamAuthenticator(schemes, profile.account().auth(), credentials,
                shared.guard(), shared.authExecutor(), profile.account().kerberosCanonicalize(),
                new AuthMeters(shared.stats().telemetry()));
        SecretFileWatcher watcher = SecretFileWatcher.start(profile, credentials);
        if (watcher != null) {
            owned.add(watcher);
        }
        return new ProxyContext(profile.profile(), config, router, connector, authenticator, accessLog, shared.stats(),
                new ClientAcl(config.listeners().allow()), destinations, clientAuth);
    }

    /**
     * The client passwords' own threads, apart from the upstream logins' (gangway-auth): half the
     * CPUs at most, so that a flood of wrong passwords leaves the event loops the other half.
     */
    private ExecutorService clientAuthPool() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        ExecutorService pool = DaemonPools.bounded("gangway-client-auth", threads, ClientVerifier.MAX_IN_FLIGHT);
        owned.add(pool::shutdownNow);
        return pool;
    }

    DestinationPolicy destinations() {
        return destinations;
    }

    GangwayConfig config() {
        return config;
    }

    ProxyContext context(Profile profile) {
        return contexts.get(profile);
    }

    Map<Profile, ProxyContext> contexts() {
        return Collections.unmodifiableMap(contexts);
    }

    /**
     * Replaced by a reload: pooled connections are closed now (they carry the old credentials),
     * busy ones when they come back; the routers and watchers are closed by {@link #close}, after
     * {@link #RETIRE_GRACE_SECONDS}.
     */
    void retire() {
        for (ProxyContext context : contexts.values()) {
            if (context.connector() instanceof UpstreamConnector connector) {
                connector.retire();
            }
        }
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        resolver.close();
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {}: {}", c, e.toString());
            }
        }
    }
}
