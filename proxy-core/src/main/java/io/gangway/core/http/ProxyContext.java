package io.gangway.core.http;

import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.Profile;
import io.gangway.core.routing.Router;
import io.gangway.core.server.ServerStats;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.ConnectionSource;

/** What the client connections of one profile share: settings, routing, upstream access, logs and counters. */
public record ProxyContext(
        Profile profile,
        GangwayConfig config,
        Router router,
        ConnectionSource connector,
        UpstreamAuthenticator authenticator,
        AccessLog accessLog,
        ServerStats stats) {
}
