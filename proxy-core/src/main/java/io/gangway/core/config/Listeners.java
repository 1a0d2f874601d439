package io.gangway.core.config;

import io.gangway.routing.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Gangway listens, and who may connect.
 *
 * @param engine      the engine profile's proxy listeners ({@code listen})
 * @param containers  the containers profile's proxy listeners ({@code containers-listen})
 * @param transparent listeners for redirected connections (the containers profile)
 * @param ports       the destination ports the transparent listeners handle
 * @param publish     published ports: raw TCP forwarded to a fixed target
 * @param allow       the client ranges allowed to connect; empty for loopback only
 */
public record Listeners(List<ListenAddress> engine, List<ListenAddress> containers, List<ListenAddress> transparent,
                        PortSet ports, List<PublishSpec> publish, List<Cidr> allow) {

    /** Every proxy address, whatever the profile (to see that an upstream is not Gangway itself). */
    public List<ListenAddress> all() {
        List<ListenAddress> all = new ArrayList<>(engine);
        all.addAll(containers);
        all.addAll(transparent);
        return all;
    }

    /**
     * Gateway mode: a listener whose clients reach destinations through Gangway (proxy,
     * containers, transparent, published) is bound to an address other than loopback, a
     * wildcard included. The whole configuration is then a gateway's, every listener included:
     * a published port or a local forwarder can hand the network's clients to a loopback listener.
     */
    public boolean gateway() {
        return all().stream().anyMatch(a -> !a.isLoopback()) || publish.stream().anyMatch(p -> !p.bind().isLoopback());
    }
}
