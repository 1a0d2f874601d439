package io.gangway.core.routing;

import io.gangway.routing.Route;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    /** Why each postponed route failed, and when it is tried first again (for the admin endpoint). */
    private final Map<Route, Postponed> why = new ConcurrentHashMap<>();

    /** A route tried last until {@code until}, because of {@code reason}. */
    public record Postponed(Route route, Instant until, String reason) {
    }
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
        failed(route, "failed to connect");
    }

    public void failed(Route route, String reason) {
        failedUntil.put(route, clock.getAsLong() + delayNanos);
        why.put(route, new Postponed(route, Instant.now().plusNanos(delayNanos), reason));
    }

    public void connected(Route route) {
        failedUntil.remove(route);
        why.remove(route);
    }

    /** The routes postponed now, with why. */
    public List<Postponed> postponed() {
        Instant now = Instant.now();
        return why.values().stream().filter(p -> p.until().isAfter(now))
                .sorted(java.util.Comparator.comparing(p -> p.route().token())).toList();
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
