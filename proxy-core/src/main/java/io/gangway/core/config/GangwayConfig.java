package io.gangway.core.config;

import io.gangway.routing.Cidr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The validated configuration of a running proxy. Built by {@link ConfigLoader}; every field
 * has its key in {@link ConfigKey}.
 *
 * @param listen           the engine profile's listeners
 * @param containersListen the containers profile's listeners
 * @param transparent      listeners for redirected connections (the containers profile)
 * @param transparentPorts the destination ports they handle
 * @param publish          published ports: raw TCP forwarded to a fixed target
 * @param engine           the top-level routing settings
 * @param containers       the containers profile: its own settings, the engine's where it has none
 * @param lockout          the account-lockout back-off and where it is kept
 */
public record GangwayConfig(
        List<ListenAddress> listen,
        List<ListenAddress> containersListen,
        List<ListenAddress> transparent,
        PortSet transparentPorts,
        List<PublishSpec> publish,
        List<Cidr> allow,
        RoutingProfile engine,
        RoutingProfile containers,
        LockoutSettings lockout,
        Duration connectTimeout,
        Duration requestHeadTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        Duration poolIdleTimeout,
        int poolMaxIdle,
        Duration routeRetryDelay,
        int maxRequestLine,
        int maxHeaderSize,
        int maxHeaders,
        int replayBuffer,
        boolean accessLog) {

    /** The embedded default: listen on 127.0.0.1:3128, routes from the environment, else DIRECT. */
    public static GangwayConfig defaults() {
        return ConfigLoader.load(null, java.util.Map.of(), java.util.Map.of());
    }

    public RoutingProfile profile(Profile profile) {
        return profile == Profile.ENGINE ? engine : containers;
    }

    /** Every address Gangway listens on, whatever the profile (to see that an upstream is not Gangway itself). */
    public List<ListenAddress> allListeners() {
        List<ListenAddress> all = new ArrayList<>(listen);
        all.addAll(containersListen);
        all.addAll(transparent);
        return all;
    }

    @Override
    public String toString() {
        return "GangwayConfig[listen=" + listen + ", containersListen=" + containersListen + ", transparent=" + transparent
                + " (ports " + transparentPorts + "), publish=" + publish
                + ", allow=" + allow
                + ", engine=" + engine + ", containers=" + containers + "]";
    }
}
