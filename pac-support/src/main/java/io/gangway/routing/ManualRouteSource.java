package io.gangway.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Fixed upstreams, tried in order, with no-proxy rules; DIRECT when none is configured, and
 * DIRECT as the last resort when {@code directFallback} is set.
 */
public final class ManualRouteSource implements RouteSource {

    private final RoutePlan proxied;
    private final NoProxyRules noProxy;
    private final String description;

    public ManualRouteSource(List<Route> upstreams, NoProxyRules noProxy, boolean directFallback) {
        List<Route> routes = new ArrayList<>(upstreams);
        if (routes.isEmpty() || directFallback) {
            routes.add(Route.DIRECT);
        }
        this.proxied = new RoutePlan(routes);
        this.noProxy = noProxy;
        this.description = "manual [" + proxied + "]" + (noProxy.isEmpty() ? "" : " no-proxy [" + noProxy + "]");
    }

    @Override
    public RoutePlan plan(Target target) {
        if (noProxy.matches(target.host(), target.port())) {
            return RoutePlan.direct();
        }
        return proxied;
    }

    @Override
    public String describe() {
        return description;
    }
}
