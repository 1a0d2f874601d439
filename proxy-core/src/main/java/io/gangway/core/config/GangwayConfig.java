package io.gangway.core.config;

import io.gangway.core.clientauth.ClientUsers;

/**
 * The validated configuration of a running proxy, grouped. Built by {@link ConfigLoader}; every
 * value has its key in {@link ConfigKey}.
 *
 * @param engine     the top-level routing settings
 * @param containers the containers profile: its own settings, the engine's where it has none
 * @param lockout    the account-lockout back-off and where it is kept
 * @param accessLog  whether each request and tunnel gets an access line
 * @param admin      the admin listener, if any
 * @param destinations which destinations clients may not have Gangway reach
 * @param clientAuth the users who may use the proxy listeners ({@code client-auth-file}); null when anyone may
 */
public record GangwayConfig(Listeners listeners, RoutingProfile engine, RoutingProfile containers, Timeouts timeouts,
                            Limits limits, LockoutSettings lockout, boolean accessLog, AdminSettings admin,
                            DestinationSettings destinations, ClientUsers clientAuth) {

    /** The embedded default: listen on 127.0.0.1:3128, routes from the environment, else DIRECT. */
    public static GangwayConfig defaults() {
        return ConfigLoader.load(null, java.util.Map.of(), java.util.Map.of());
    }

    public RoutingProfile profile(Profile profile) {
        return profile == Profile.ENGINE ? engine : containers;
    }

    @Override
    public String toString() {
        return "GangwayConfig[listeners=" + listeners + ", engine=" + engine + ", containers=" + containers + "]";
    }
}
