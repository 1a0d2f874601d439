package io.gangway.core.routing;

import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RouteSource;
import io.gangway.routing.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a target into the ordered routes to try: the source's plan, with routes that failed
 * recently moved to the end (still tried, in case every other route fails too).
 */
public final class Router {

    private final RouteSource source;
    private final RouteDatabase database;

    public Router(RouteSource source, RouteDatabase database) {
        this.source = source;
        this.database = database;
    }

    public RoutePlan plan(Target target) {
        RoutePlan plan = source.plan(target);
        List<Route> fresh = new ArrayList<>(plan.routes().size());
        List<Route> postponed = new ArrayList<>(0);
        for (Route route : plan.routes()) {
            (database.shouldPostpone(route) ? postponed : fresh).add(route);
        }
        if (postponed.isEmpty()) {
            return plan;
        }
        fresh.addAll(postponed);
        return new RoutePlan(fresh);
    }

    public RouteDatabase database() {
        return database;
    }

    public String describe() {
        return source.describe();
    }
}
