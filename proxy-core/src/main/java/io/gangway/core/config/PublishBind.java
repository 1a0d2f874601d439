package io.gangway.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Where a published port listens when its address is not given, as Docker Desktop's port-binding setting. */
public enum PublishBind {
    /** Loopback only: an address that is not loopback is refused. */
    LOCAL_ONLY,
    /** 127.0.0.1 unless an address is given (the default). */
    LOCAL_DEFAULT,
    /** 0.0.0.0 unless an address is given. */
    ANY_DEFAULT;

    static PublishBind named(String text) {
        for (PublishBind b : values()) {
            if (b.name().replace('_', '-').equalsIgnoreCase(text.trim())) {
                return b;
            }
        }
        throw new IllegalArgumentException("expected local-only, local-default or any-default");
    }

    /** The address to bind: the one given, else this policy's default. */
    String bindAddress(String given) {
        if (given == null || given.isEmpty()) {
            return this == ANY_DEFAULT ? "0.0.0.0" : "127.0.0.1";
        }
        if (this == LOCAL_ONLY && !isLoopback(given)) {
            throw new IllegalArgumentException("publish-bind is local-only: " + given + " is not a loopback address");
        }
        return given;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
