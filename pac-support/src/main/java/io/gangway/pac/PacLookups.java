package io.gangway.pac;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Name lookups for the PAC helpers, bounded by the call's budget. The resolver runs on a small
 * pool of its own and the helper waits for it only as long as the call's DNS allowance and
 * deadline allow: a name server that never answers costs the call its allowance, not the
 * resolver's own timeouts (20 s and more), and the helper answers as for a name that does not
 * resolve, with a log line, and for the next 30 s the name is answered so at once. One lookup
 * per name is under way at a time, shared by the calls that ask for it, so a dead name holds one
 * thread of the pool, not all of them. Answers are kept for the rest of the call, so a script
 * that tests one name against ten networks looks it up once.
 */
final class PacLookups {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");
    private static final ExecutorService POOL = pool();
    /** Lookups under way, by name. */
    private static final Map<String, CompletableFuture<List<InetAddress>>> IN_FLIGHT = new ConcurrentHashMap<>();
    /** Names whose lookup timed out, until when they are answered as failed at once (System.nanoTime). */
    private static final Map<String, Long> SILENT = new ConcurrentHashMap<>();
    private static final long SILENT_FOR_NANOS = TimeUnit.SECONDS.toNanos(30);

    private PacLookups() {
    }

    /** The addresses of {@code host}; empty when it does not resolve in time. */
    static List<InetAddress> lookup(PacDns dns, String host) {
        PacSandbox.Budget budget = PacSandbox.current();
        if (budget == null) {
            return dns.lookup(host); // outside a script call (a helper's own test): nothing to bound
        }
        List<InetAddress> known = budget.lookups.get(host);
        if (known != null) {
            return known;
        }
        List<InetAddress> found = bounded(dns, host, budget);
        budget.lookups.put(host, found);
        return found;
    }

    private static List<InetAddress> bounded(PacDns dns, String host, PacSandbox.Budget budget) {
        Long silentUntil = SILENT.get(host);
        if (silentUntil != null) {
            if (System.nanoTime() - silentUntil < 0) {
                return List.of(); // its name server did not answer a moment ago: no wait again for it
            }
            SILENT.remove(host, silentUntil);
        }
        long wait = budget.dnsWaitNanos();
        if (wait <= 0) {
            log.warn("PAC lookup of {} not made: the evaluation's DNS time is spent; answered as a failed lookup",
                    LogSafe.oneLine(host));
            return List.of();
        }
        long started = System.nanoTime();
        CompletableFuture<List<InetAddress>> answer;
        try {
            answer = inFlight(dns, host);
        } catch (RejectedExecutionException e) {
            log.warn("PAC lookup of {} not made: every DNS thread waits for a name server; answered as a failed lookup",
                    LogSafe.oneLine(host));
            return List.of();
        }
        try {
            return answer.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (SILENT.size() > 10_000) {
                SILENT.clear(); // a PAC that asks for endless dead names: forget rather than grow
            }
            SILENT.put(host, System.nanoTime() + SILENT_FOR_NANOS);
            log.warn("PAC lookup of {}: no answer within {} ms; answered as a failed lookup (for {} s)",
                    LogSafe.oneLine(host), TimeUnit.NANOSECONDS.toMillis(wait), TimeUnit.NANOSECONDS.toSeconds(SILENT_FOR_NANOS));
            return List.of();
        } catch (ExecutionException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            budget.dnsSpent(System.nanoTime() - started);
        }
    }

    /**
     * The lookup of {@code host} under way, shared by every call that asks meanwhile: a name
     * whose name server never answers holds one thread, however many requests ask for it.
     */
    private static CompletableFuture<List<InetAddress>> inFlight(PacDns dns, String host) {
        CompletableFuture<List<InetAddress>> mine = new CompletableFuture<>();
        CompletableFuture<List<InetAddress>> running = IN_FLIGHT.putIfAbsent(host, mine);
        if (running != null) {
            return running;
        }
        try {
            POOL.execute(() -> {
                try {
                    mine.complete(dns.lookup(host));
                } catch (RuntimeException e) {
                    mine.completeExceptionally(e);
                } finally {
                    IN_FLIGHT.remove(host, mine);
                }
            });
        } catch (RejectedExecutionException e) {
            IN_FLIGHT.remove(host, mine);
            throw e;
        }
        return mine;
    }

    /** A few daemon threads: a lookup stuck in the OS resolver holds one until it gives up. */
    private static ExecutorService pool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
            Thread t = new Thread(r, "gangway-pac-dns-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
