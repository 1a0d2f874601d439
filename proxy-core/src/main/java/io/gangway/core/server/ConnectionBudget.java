package io.gangway.core.server;

import io.gangway.core.config.Limits;
import io.gangway.core.config.OverloadLimit;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client connections and tunnels open now, held to the limits in force: connections in all
 * and per client address, tunnels in all, and the refused connections waiting to be told why.
 * Each is counted until its channel closes (a close listener: no path can leak a count). Shared
 * by every configuration generation, so that after a reload the new limits apply to the next
 * connections, counted together with those admitted before it.
 */
public final class ConnectionBudget {

    /**
     * Refused connections that may wait at once for their request head, to be answered with 503
     * (or 403 outside the allow list). Each waits at most first-byte-timeout plus
     * request-head-timeout; beyond this many a refused connection is closed unanswered, so that a
     * flood past the limits holds at most this many more open files.
     */
    static final int ANSWERING = 256;

    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger answering = new AtomicInteger();
    /** Open connections by client address; an address leaves the map with its last connection. */
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    /**
     * Counts {@code client} until it closes if the limits leave room for it; otherwise counts
     * nothing and says which limit it would pass.
     */
    public Optional<OverloadLimit> admit(Channel client, Limits limits) {
        if (!takeOne(open, limits.clientConnections())) {
            return Optional.of(OverloadLimit.CLIENT_CONNECTIONS);
        }
        InetAddress address = client.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (address != null && !takeAddress(address, limits.clientConnectionsPerAddress())) {
            open.decrementAndGet();
            return Optional.of(OverloadLimit.CLIENT_CONNECTIONS_PER_ADDRESS);
        }
        client.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (k, n) -> n == 1 ? null : n - 1);
            }
        });
        return Optional.empty();
    }

    /** Counts a tunnel on {@code client} until the connection closes, if fewer than {@code limit} are open. */
    public boolean openTunnel(Channel client, int limit) {
        return takeUntilClosed(tunnels, limit, client);
    }

    /** Whether a refused connection may wait to be told why (counted until it closes), or must be closed now. */
    public boolean mayAnswer(Channel refused) {
        return takeUntilClosed(answering, ANSWERING, refused);
    }

    public int openConnections() {
        return open.get();
    }

    public int openConnections(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    public int openTunnels() {
        return tunnels.get();
    }

    private static boolean takeUntilClosed(AtomicInteger count, int limit, Channel channel) {
        if (!takeOne(count, limit)) {
            return false;
        }
        channel.closeFuture().addListener(f -> count.decrementAndGet());
        return true;
    }

    /** One more if below the limit, atomically: two event loops admitting at once cannot both pass it. */
    private static boolean takeOne(AtomicInteger count, int limit) {
        for (int n = count.get(); n < limit; n = count.get()) {
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    private boolean takeAddress(InetAddress address, int limit) {
        boolean[] taken = new boolean[1];
        perAddress.compute(address, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= limit) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        return taken[0];
    }
}
