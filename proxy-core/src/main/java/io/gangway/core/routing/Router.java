package io.gangway.core.routing;

import io.gangway.core.server.DaemonPools;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RouteSource;
import io.gangway.routing.RoutingException;
import io.gangway.routing.Target;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Turns a target into the ordered routes to try: the source's plan, with routes that failed
 * recently moved to the end (still tried, in case every other route fails too). A source that
 * may block (a PAC: it may resolve names, or wait for its first download) is asked on a small
 * pool of its own, never on an event loop; its known answers come back at once.
 */
public final class Router implements AutoCloseable {

    /** Longer than a PAC's first download may take, so that a stuck evaluation still ends. */
    static final Duration PLAN_TIMEOUT = Duration.ofSeconds(30);
    private static final int THREADS = 4;

    private final RouteSource source;
    private final RouteDatabase database;
    private final List<AutoCloseable> owned;
    private ExecutorService pool;

    public Router(RouteSources.Routing routing, RouteDatabase database) {
        this.source = routing.source();
        this.owned = routing.owned();
        this.database = database;
    }

    /** The plan for {@code target}, completed on {@code loop}; failed with {@link RoutingException} when there is none. */
    public Future<RoutePlan> plan(Target target, EventLoop loop) {
        Promise<RoutePlan> promise = loop.newPromise();
        RoutePlan known;
        try {
            known = source.knownPlan(target);
        } catch (RoutingException e) {
            return promise.setFailure(e);
        }
        if (known != null) {
            return promise.setSuccess(reorder(known));
        }
        ScheduledFuture<?> timeout = loop.schedule(() -> promise.tryFailure(new RoutingException(
                "no route for " + target.authority() + " within " + PLAN_TIMEOUT.toSeconds() + "s from " + describe())),
                PLAN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            pool().execute(() -> {
                try {
                    RoutePlan plan = reorder(source.plan(target));
                    loop.execute(() -> promise.trySuccess(plan));
                } catch (RuntimeException e) {
                    loop.execute(() -> promise.tryFailure(e));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(new RoutingException("too many route decisions waiting (" + describe() + ")"));
        }
        promise.addListener(f -> timeout.cancel(false));
        return promise;
    }

    /** The plan, blocking: for commands, not for the event loops. */
    public RoutePlan planNow(Target target) {
        return reorder(source.plan(target));
    }

    private RoutePlan reorder(RoutePlan plan) {
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

    private synchronized ExecutorService pool() {
        if (pool == null) {
            pool = DaemonPools.bounded("gangway-routing", THREADS, 4096);
        }
        return pool;
    }

    public RouteSource source() {
        return source;
    }

    public RouteDatabase database() {
        return database;
    }

    public String describe() {
        return source.describe();
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing at shutdown: nothing more to do
            }
        }
    }
}
