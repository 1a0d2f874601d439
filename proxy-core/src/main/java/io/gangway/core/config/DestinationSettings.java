package io.gangway.core.config;

import io.gangway.core.policy.DestinationRules;

/**
 * The destination policy's settings (see {@code policy.DestinationPolicy}).
 *
 * @param deny         destinations refused whatever the listeners ({@code deny})
 * @param allow        destinations let through although a rule would refuse them ({@code allow-destination})
 * @param connectPorts the ports CONNECT may reach ({@code connect-ports}); null when not given:
 *                     every port on loopback-only listeners, the gateway default otherwise
 */
public record DestinationSettings(DestinationRules deny, DestinationRules allow, PortSet connectPorts) {

    public static final DestinationSettings NONE = new DestinationSettings(DestinationRules.none(), DestinationRules.none(), null);
}
