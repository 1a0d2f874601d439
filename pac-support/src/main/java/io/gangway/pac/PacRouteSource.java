package io.gangway.pac;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.RouteSource;
import io.gangway.routing.RoutingException;
import io.gangway.routing.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes from a PAC script. Answers are cached per PAC URL (see {@link Target#url()}): the full
 * URL for plain HTTP, so path-dependent scripts stay right, and scheme, host and port for
 * tunnels, which is all a proxy knows of them. A cached answer expires after
 * {@link #CACHE_TTL} (scripts may depend on DNS or the time of day) and every answer is dropped
 * when a new script is installed. Without a usable script or answer, the {@link PacFailurePolicy}
 * decides; the first requests wait (bounded) for the first load.
 */
public final class PacRouteSource implements RouteSource {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");
    static final Duration CACHE_TTL = Duration.ofMinutes(1);
    private static final int CACHE_SIZE = 10_000;

    /**
     * A script with its answers per URL: a plan, or the error it gave. Failures are kept too, so
     * a script that loops or throws for a URL is not run again for it until the entry expires,
     * and a client retrying does not cost a routing thread its whole budget each time.
     */
    private record Loaded(PacScript script, Cache<String, Answer> answers) {
    }

    /** A plan, or (plan null) why there is none. */
    private record Answer(RoutePlan plan, String error) {
    }

    /** The outcome of one evaluation, for {@code gangway check} and the logs. */
    public record Evaluation(String url, PacResult result, RoutePlan plan, String error) {
    }

    private final String location;
    private final PacFailurePolicy policy;
    private final Duration firstLoadWait;
    private final CompletableFuture<Void> firstLoad = new CompletableFuture<>();
    private volatile Loaded loaded;
    /** Why no script is loaded; null while the first load is still under way, or once one is loaded. */
    private volatile String unavailable;
    private volatile Instant loadedAt;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private final LongAdder evaluations = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder evaluationNanos = new LongAdder();

    /**
     * What the admin endpoint shows of this PAC: where it comes from, when the script in use was
     * loaded, the last problem, and the evaluations so far (cached answers are not evaluations).
     *
     * @param usable whether requests get a route: a script is loaded, or its load failed and the fallback is DIRECT
     */
    public record Status(String location, boolean loaded, boolean loading, boolean usable, Instant loadedAt,
                         String lastError, Instant lastErrorAt, long evaluations, long errors, long evaluationNanos) {
    }

    public PacRouteSource(String location, PacFailurePolicy policy, Duration firstLoadWait) {
        this.location = location;
        this.policy = policy;
        this.firstLoadWait = firstLoadWait;
    }

    /** Installs a (new) script: answers of the previous one are dropped. */
    public void install(PacScript script) {
        loaded = new Loaded(script, Caffeine.newBuilder().maximumSize(CACHE_SIZE).expireAfterWrite(CACHE_TTL).build());
        unavailable = null;
        loadedAt = Instant.now();
        firstLoad.complete(null);
    }

    /** No script could be had: the last good one stays; without one, the policy applies. */
    public void unavailable(String reason) {
        noteError(reason);
        if (loaded == null) {
            unavailable = reason;
            log.warn("no PAC from {}: {}; requests go {} until one loads", location, reason,
                    policy == PacFailurePolicy.DIRECT ? "DIRECT" : "nowhere (they fail)");
        } else {
            log.warn("could not refresh the PAC from {}: {}; keeping the copy loaded before", location, reason);
        }
        firstLoad.complete(null);
    }

    @Override
    public RoutePlan knownPlan(Target target) {
        Loaded current = loaded;
        Answer answer = current == null ? null : current.answers().getIfPresent(target.url());
        return answer == null ? null : answer.plan();
    }

    @Override
    public RoutePlan plan(Target target) {
        Evaluation e = evaluate(target);
        if (e.plan() != null) {
            return e.plan();
        }
        if (policy == PacFailurePolicy.FAIL) {
            throw new RoutingException(e.error() + " (pac-fallback: fail)");
        }
        return RoutePlan.direct();
    }

    /** Evaluates the script for {@code target} (or takes the cached answer). May block. */
    public Evaluation evaluate(Target target) {
        awaitFirstLoad();
        Loaded current = loaded;
        String url = target.url();
        if (current == null) {
            return new Evaluation(url, null, null, "no PAC from " + location + ": "
                    + (unavailable != null ? unavailable : "not loaded yet"));
        }
        Answer cached = current.answers().getIfPresent(url);
        if (cached != null) {
            return new Evaluation(url, null, cached.plan(), cached.error());
        }
        PacResult result;
        long started = System.nanoTime();
        evaluations.increment();
        try {
            result = PacResult.parse(current.script().findProxy(url, target.host()));
        } catch (PacException ex) {
            evaluationNanos.add(System.nanoTime() - started);
            errors.increment();
            noteError(ex.getMessage());
            log.warn("{}; routing {} for {} s", ex.getMessage(), policy == PacFailurePolicy.DIRECT ? "DIRECT" : "fails",
                    CACHE_TTL.toSeconds());
            current.answers().put(url, new Answer(null, ex.getMessage()));
            return new Evaluation(url, null, null, ex.getMessage());
        }
        evaluationNanos.add(System.nanoTime() - started);
        for (String warning : result.warnings()) {
            log.warn("PAC {} answer for {}: {}", current.script().name(), target.authority(), warning);
        }
        if (result.routes().isEmpty()) {
            String error = "PAC " + current.script().name() + " returned no usable route for " + target.host()
                    + ": '" + LogSafe.oneLine(result.raw()) + "'";
            log.warn(error);
            errors.increment();
            noteError(error);
            current.answers().put(url, new Answer(null, error));
            return new Evaluation(url, result, null, error);
        }
        RoutePlan plan = new RoutePlan(result.routes());
        current.answers().put(url, new Answer(plan, null));
        return new Evaluation(url, result, plan, null);
    }

    private void awaitFirstLoad() {
        try {
            firstLoad.get(firstLoadWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still loading: the policy answers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void noteError(String error) {
        lastError = error;
        lastErrorAt = Instant.now();
    }

    public Status status() {
        boolean isLoaded = loaded != null;
        boolean loading = !isLoaded && !firstLoad.isDone();
        return new Status(location, isLoaded, loading, isLoaded || !loading && policy == PacFailurePolicy.DIRECT, loadedAt,
                lastError, lastErrorAt, evaluations.sum(), errors.sum(), evaluationNanos.sum());
    }

    @Override
    public String describe() {
        Loaded current = loaded;
        String reason = unavailable;
        return "pac " + location + (current != null ? "" : reason == null ? " (loading)" : " (unavailable: " + reason + "; "
                + (policy == PacFailurePolicy.DIRECT ? "DIRECT" : "failing") + ")");
    }

    @Override
    public boolean mayBlock() {
        return true;
    }
}
