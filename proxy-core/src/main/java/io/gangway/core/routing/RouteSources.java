package io.gangway.core.routing;

import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.PacSettings;
import io.gangway.core.config.RoutingProfile;
import io.gangway.pac.PacEnvironment;
import io.gangway.pac.PacLoader;
import io.gangway.pac.PacRouteSource;
import io.gangway.pac.PacSource;
import io.gangway.pac.PacUpdater;
import io.gangway.pac.WpadDiscovery;
import io.gangway.routing.ManualRouteSource;
import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RouteSource;
import io.gangway.routing.SchemeRouteSource;
import io.gangway.routing.Target;
import io.gangway.routing.os.OsProxyDetector;
import io.gangway.routing.os.OsProxySettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the route source that the configuration asks for, registers its credentials, and starts
 * what keeps it current (a PAC's refresh), which the returned {@link Routing} owns.
 */
public final class RouteSources {

    private static final Logger log = LoggerFactory.getLogger(RouteSources.class);
    /** How long the first requests wait for a PAC's first download (WPAD may try several names). */
    private static final Duration PAC_FIRST_LOAD_WAIT = Duration.ofSeconds(20);

    /** A route source and what must be closed with it. */
    public record Routing(RouteSource source, List<AutoCloseable> owned) {
    }

    private RouteSources() {
    }

    /** The engine profile's source. */
    public static Routing create(GangwayConfig config, Map<String, String> env, UpstreamCredentials credentials) {
        return create(config.engine(), config, env, credentials);
    }

    /** The source of one profile's routing settings. */
    public static Routing create(RoutingProfile profile, GangwayConfig config, Map<String, String> env,
                                 UpstreamCredentials credentials) {
        List<AutoCloseable> owned = new ArrayList<>();
        Duration timeout = config.timeouts().connect();
        RouteSource source = switch (profile.route().mode()) {
            case DIRECT -> fixed(RoutePlan.direct(), "direct");
            case MANUAL -> {
                List<Route> routes = new ArrayList<>();
                for (ProxyUrl upstream : profile.route().upstreams()) {
                    credentials.register(upstream, profile.account());
                    routes.add(upstream.route());
                }
                yield new ManualRouteSource(routes, profile.route().noProxy(), profile.route().directFallback());
            }
            case PAC -> pac(profile, timeout, profile.route().pac().location(), credentials, owned);
            case SYSTEM -> system(profile, timeout, config.listeners().all(), env, credentials, owned);
        };
        return new Routing(source, List.copyOf(owned));
    }

    /** The environment, then the OS settings, then DIRECT. */
    private static RouteSource system(RoutingProfile config, Duration timeout, List<ListenAddress> listeners,
                                      Map<String, String> env, UpstreamCredentials credentials, List<AutoCloseable> owned) {
        SchemeRouteSource fromEnv = SchemeRouteSource.fromEnvironment(env);
        List<ProxyUrl> named = fromEnv.proxies();
        Optional<ProxyUrl> self = named.stream().filter(u -> pointsAtSelf(u.route(), listeners)).findFirst();
        String envNote = "no proxy in the environment";
        if (self.isPresent()) {
            // The shell that starts Gangway often has 'gangway env' applied: its variables name
            // Gangway itself, and what they would have said is in the OS settings.
            log.warn("ignoring the environment's proxy variables: {} is this Gangway's own listen address; "
                    + "reading the OS settings instead", self.get().route().authority());
            envNote = "the environment names this proxy itself";
        } else if (!named.isEmpty()) {
            named.forEach(upstream -> credentials.register(upstream, config.account()));
            return fromEnv;
        }
        Optional<OsProxySettings> os = OsProxyDetector.detect(env);
        if (os.isEmpty()) {
            return fixed(RoutePlan.direct(), "system (" + envNote + ", none in the OS settings: DIRECT)");
        }
        OsProxySettings settings = os.get();
        log.info("using the proxy settings of {}", settings.source());
        if (settings.pacUrl() != null || settings.autoDetect()) {
            return pac(config, timeout, settings.pacUrl(), credentials, owned);
        }
        Optional<ProxyUrl> osSelf = java.util.stream.Stream.of(settings.http(), settings.https())
                .filter(u -> u != null && pointsAtSelf(u.route(), listeners)).findFirst();
        if (osSelf.isPresent()) {
            // The desktop's proxy set to Gangway, for its other programs: the same loop.
            log.warn("ignoring the proxy of {}: {} is this Gangway's own listen address; routing DIRECT",
                    settings.source(), osSelf.get().route().authority());
            return fixed(RoutePlan.direct(), "system (" + settings.source() + " names this proxy itself: DIRECT)");
        }
        credentials.registerAnyProxy(config.account());
        return new SchemeRouteSource(settings.source(), settings.http(), settings.https(), settings.bypass());
    }

    /** A PAC from {@code location}, or found by WPAD when it is null; its upstreams get the configured account. */
    private static RouteSource pac(RoutingProfile config, Duration timeout, String location, UpstreamCredentials credentials,
                                   List<AutoCloseable> owned) {
        PacSettings settings = config.route().pac();
        PacSource source = location == null ? WpadDiscovery.system(timeout) : new PacLoader(location, timeout);
        PacRouteSource routes = new PacRouteSource(source.location(), settings.fallback(), PAC_FIRST_LOAD_WAIT);
        owned.add(new PacUpdater(source, routes, PacEnvironment.withMyIp(settings.myIp()), settings.refresh()).start());
        credentials.registerAnyProxy(config.account());
        return routes;
    }

    /** Whether {@code route} is one of Gangway's own listen addresses (HTTP_PROXY pointing back at it). */
    static boolean pointsAtSelf(Route route, List<ListenAddress> listen) {
        for (ListenAddress address : listen) {
            if (address.port() != route.port()) {
                continue;
            }
            try {
                InetAddress upstream = InetAddress.getByName(route.host());
                InetAddress own = address.address();
                if (upstream.equals(own) || (own.isAnyLocalAddress() || own.isLoopbackAddress()) && upstream.isLoopbackAddress()) {
                    return true;
                }
            } catch (UnknownHostException e) {
                // an upstream name that does not resolve cannot be us
            }
        }
        return false;
    }

    private static RouteSource fixed(RoutePlan plan, String description) {
        return new RouteSource() {
            @Override
            public RoutePlan plan(Target target) {
                return plan;
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
