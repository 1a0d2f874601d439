package io.gangway.core.routing;

import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.ListenAddress;
import io.gangway.routing.SchemeRouteSource;
import io.gangway.routing.ManualRouteSource;
import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RouteSource;
import io.gangway.routing.Target;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the route source that the configuration asks for, and registers its credentials. */
public final class RouteSources {

    private static final Logger log = LoggerFactory.getLogger(RouteSources.class);

    private RouteSources() {
    }

    public static RouteSource create(GangwayConfig config, Map<String, String> env, UpstreamCredentials credentials) {
        return switch (config.routing()) {
            case DIRECT -> fixed(RoutePlan.direct(), "direct");
            case MANUAL -> {
                List<Route> routes = new ArrayList<>();
                for (ProxyUrl upstream : config.upstreams()) {
                    credentials.register(upstream, config);
                    routes.add(upstream.route());
                }
                yield new ManualRouteSource(routes, config.noProxy(), config.directFallback());
            }
            case SYSTEM -> {
                SchemeRouteSource source = SchemeRouteSource.fromEnvironment(env);
                List<ProxyUrl> named = source.proxies();
                for (ProxyUrl upstream : named) {
                    if (pointsAtSelf(upstream.route(), config.listen())) {
                        // HTTP_PROXY often points at Gangway itself in the shell that starts it.
                        log.warn("ignoring the environment's proxy {}: it is this Gangway's own listen address; "
                                + "routing DIRECT instead", upstream.route().authority());
                        yield fixed(RoutePlan.direct(), "system (environment names this proxy itself: DIRECT)");
                    }
                    credentials.register(upstream, config);
                }
                yield named.isEmpty() ? fixed(RoutePlan.direct(), "system (no proxy in the environment: DIRECT)") : source;
            }
        };
    }

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
