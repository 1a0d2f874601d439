package io.gangway.routing;

import java.util.List;
import java.util.StringJoiner;

/** The routes to try for one target, in order, like a PAC result {@code "PROXY a; PROXY b; DIRECT"}. */
public record RoutePlan(List<Route> routes) {

    public RoutePlan {
        routes = List.copyOf(routes);
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a route plan needs at least one route");
        }
    }

    public static RoutePlan direct() {
        return new RoutePlan(List.of(Route.DIRECT));
    }

    /** One word for a log field: the routes' {@link Route#token()}s joined by commas. */
    public String token() {
        StringJoiner plan = new StringJoiner(",");
        routes.forEach(route -> plan.add(route.token()));
        return plan.toString();
    }

    @Override
    public String toString() {
        if (routes.size() == 1) {
            return routes.get(0).toString();
        }
        StringJoiner plan = new StringJoiner("; ");
        routes.forEach(route -> plan.add(route.toString()));
        return plan.toString();
    }
}
