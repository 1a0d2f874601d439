package io.gangway.core;

import io.gangway.core.upstream.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name lookups where one name's server never answers: its lookups block, as the OS resolver's
 * do while it retries a silent server, until {@link #close()}; other names go to the OS.
 */
final class SilentNameServer implements HostResolver.NameLookup, AutoCloseable {

    private final String silentName;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger stalled = new AtomicInteger();

    SilentNameServer(String silentName) {
        this.silentName = silentName;
    }

    @Override
    public InetAddress[] lookup(String host) throws UnknownHostException {
        if (!host.equals(silentName)) {
            return InetAddress.getAllByName(host);
        }
        stalled.incrementAndGet();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new UnknownHostException(host);
    }

    /** Lookups of the silent name so far. */
    int stalledLookups() {
        return stalled.get();
    }

    /** Lets the blocked lookups end (as unknown hosts). */
    @Override
    public void close() {
        released.countDown();
    }
}
