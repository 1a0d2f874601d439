package io.gangway.core.http;

import io.gangway.core.clientauth.ClientVerifier;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
import io.gangway.core.routing.Router;
import io.gangway.core.policy.DestinationPolicy;
import io.gangway.core.policy.OwnListeners;
import io.gangway.core.server.ServerStats;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.ConnectionSource;

/**
 * What the client connections of one profile share: settings, routing, upstream access, logs and
 * counters, who may connect, which users they must prove to be ({@code clientAuth}: null when
 * anyone may), and which destinations they may not reach. A reload makes a new one.
 */
public record ProxyContext(
        Profile profile,
        GangwayConfig config,
        Router router,
        ConnectionSource connector,
        UpstreamAuthenticator authenticator,
        AccessLog accessLog,
        ServerStats stats,
        ClientAcl acl,
        DestinationPolicy destinations,
        ClientVerifier clientAuth) {

    /** A context with the allow list of {@code config} and no destination policy but the loopback default's (tests). */
    public ProxyContext(Profile profile, GangwayConfig config, Router router, ConnectionSource connector,
                        UpstreamAuthenticator authenticator, AccessLog accessLog, ServerStats stats) {
        this(profile, config, router, connector, authenticator, accessLog, stats,
                new ClientAcl(config.listeners().allow()), DestinationPolicy.loopbackDefault(new OwnListeners()), null);
    }
}
