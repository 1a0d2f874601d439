package io.gangway.core.upstream;

import io.gangway.core.server.DaemonPools;
import io.gangway.routing.Cidr;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Name resolution with the operating system's resolver (hosts file, nsswitch, VPN split DNS,
 * all as other programs see them), run on a small pool of its own: a lookup can take seconds
 * and must never stall an event loop. IP literals are answered at once.
 */
public final class HostResolver implements AutoCloseable {

    private final ExecutorService executor;

    public HostResolver(int threads) {
        this.executor = DaemonPools.bounded("gangway-dns", threads, 10_000);
    }

    /** All addresses of {@code host}, completed on {@code loop}. */
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
        try {
            executor.execute(() -> {
                try {
                    List<InetAddress> all = List.of(InetAddress.getAllByName(host));
                    loop.execute(() -> promise.setSuccess(all));
                } catch (UnknownHostException e) {
                    loop.execute(() -> promise.setFailure(e));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.setFailure(new UnknownHostException(host + ": too many name lookups in progress"));
        }
        return promise;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
