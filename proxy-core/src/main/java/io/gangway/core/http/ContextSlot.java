package io.gangway.core.http;

/**
 * Where a listener finds its profile's current {@link ProxyContext}. A reload puts a new one
 * here: connections accepted afterwards, and each new request on a kept-alive connection, use
 * it; exchanges already under way keep the one they started with.
 */
public final class ContextSlot {

    private volatile ProxyContext current;

    public ContextSlot(ProxyContext current) {
        this.current = current;
    }

    public ProxyContext get() {
        return current;
    }

    public void set(ProxyContext next) {
        current = next;
    }
}
