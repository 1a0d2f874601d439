package io.gangway.core.upstream;

import io.gangway.core.server.DaemonPools;
import io.gangway.routing.Cidr;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Name resolution with the operating system's resolver (hosts file, nsswitch, VPN split DNS,
 * all as other programs see them), run on a small pool of its own: a lookup can take many
 * seconds and must never stall an event loop. Each lookup has a deadline (connect-timeout): a
 * name server that never answers fails the request in time, whatever the OS resolver's own
 * retries take. Lookups of one name in flight at once share one thread, so a hung name holds
 * one thread, not the pool. IP literals are answered at once.
 */
public final class HostResolver implements AutoCloseable {

    /** How a name becomes addresses; {@link #SYSTEM} in production, a scripted one in tests. */
    @FunctionalInterface
    public interface NameLookup {
        NameLookup SYSTEM = InetAddress::getAllByName;

        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    /** The name server did not answer before the deadline. */
    public static final class LookupTimeoutException extends UnknownHostException {
        LookupTimeoutException(String message) {
            super(message);
        }
    }

    private final ExecutorService executor;
    private final NameLookup lookup;
    private final long timeoutNanos;
    private final Map<String, CompletableFuture<List<InetAddress>>> inFlight = new ConcurrentHashMap<>();

    public HostResolver(int threads, Duration timeout) {
        this(threads, timeout, NameLookup.SYSTEM);
    }

    public HostResolver(int threads, Duration timeout, NameLookup lookup) {
        this.executor = DaemonPools.bounded("gangway-dns", threads, 10_000);
        this.lookup = lookup;
        this.timeoutNanos = timeout.toNanos();
    }

    /** All addresses of {@code host}, completed on {@code loop}, or failed after the deadline. */
    public Future<List<InetAddress>> resolve(String host, EventExecutor loop) {
        Promise<List<InetAddress>> promise = loop.newPromise();
        if (Cidr.isIpLiteral(host)) {
            try {
                promise.setSuccess(List.of(InetAddress.getByName(host)));
            } catch (UnknownHostException e) {
                promise.setFailure(e);
            }
            return promise;
        }
        ScheduledFuture<?> deadline = loop.schedule(() -> promise.tryFailure(new LookupTimeoutException(
                "no answer from the name server for " + host + " within " + Duration.ofNanos(timeoutNanos).toMillis()
                        + " ms")), timeoutNanos, TimeUnit.NANOSECONDS);
        lookupShared(host).whenComplete((addresses, error) -> loop.execute(() -> {
            deadline.cancel(false);
            if (error != null) {
                promise.tryFailure(error);
            } else {
                promise.trySuccess(addresses);
            }
        }));
        return promise;
    }

    private CompletableFuture<List<InetAddress>> lookupShared(String host) {
        CompletableFuture<List<InetAddress>> created = new CompletableFuture<>();
        CompletableFuture<List<InetAddress>> running = inFlight.putIfAbsent(host, created);
        if (running != null) {
            return running;
        }
        try {
            executor.execute(() -> {
                try {
                    created.complete(List.of(lookup.lookup(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    created.completeExceptionally(e);
                } finally {
                    inFlight.remove(host, created);
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(host, created);
            created.completeExceptionally(new UnknownHostException(host + ": too many name lookups in progress"));
        }
        return created;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
