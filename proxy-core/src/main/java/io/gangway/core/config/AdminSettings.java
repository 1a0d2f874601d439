package io.gangway.core.config;

import io.gangway.routing.Cidr;
import java.util.List;

/**
 * The admin listener.
 *
 * @param address where it listens, or null when it is off
 * @param allow   the client ranges allowed to reach it; empty for loopback only
 */
public record AdminSettings(ListenAddress address, List<Cidr> allow) {

    public boolean enabled() {
        return address != null;
    }
}
