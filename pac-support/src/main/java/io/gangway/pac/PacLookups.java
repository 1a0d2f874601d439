package io.gangway.pac;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * resolve, with a log line. Answers are kept for the rest of the call, so a script that tests
 * one name against ten networks looks it up once.
 */
final class PacLookups {

    private static final Logger log = LoggerFactory.getLogger("gangway.pac");
    private static final ExecutorService POOL = pool();

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
        long wait = budget.dnsWaitNanos();
        if (wait <= 0) {
            log.warn("PAC lookup of {} not made: the evaluation's DNS time is spent; answered as a failed lookup",
                    LogSafe.oneLine(host));
            return List.of();
        }
        long started = System.nanoTime();
        Future<List<InetAddress>> answer;
        try {
            answer = POOL.submit(() -> dns.lookup(host));
        } catch (RejectedExecutionException e) {
            log.warn("PAC lookup of {} not made: every DNS thread waits for a name server; answered as a failed lookup",
                    LogSafe.oneLine(host));
            return List.of();
        }
        try {
            return answer.get(wait, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            log.warn("PAC lookup of {}: no answer within {} ms; answered as a failed lookup", LogSafe.oneLine(host),
                    TimeUnit.NANOSECONDS.toMillis(wait));
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
