package io.gangway.core.routing;

import io.gangway.routing.Route;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Upstreams that recently failed to connect, tried last until the retry delay passes (after
 * OkHttp's RouteDatabase): a dead proxy costs one failed connect per delay, not one per request,
 * and is never forgotten for good.
 */
public final class RouteDatabase {

    private final Map<Route, Long> failedUntil = new ConcurrentHashMap<>();
    private final long delayNanos;
    private final LongSupplier clock;

    public RouteDatabase(Duration retryDelay) {
        this(retryDelay, System::nanoTime);
    }

    RouteDatabase(Duration retryDelay, LongSupplier clock) {
        this.delayNanos = retryDelay.toNanos();
        this.clock = clock;
    }

    public void failed(Route route) {
        failedUntil.put(route, clock.getAsLong() + delayNanos);
    }

    public void connected(Route route) {
        failedUntil.remove(route);
    }

    public boolean shouldPostpone(Route route) {
        Long until = failedUntil.get(route);
        if (until == null) {
            return false;
        }
        if (clock.getAsLong() - until >= 0) {
            failedUntil.remove(route, until);
            return false;
        }
        return true;
    }
}
