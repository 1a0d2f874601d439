package io.gangway.core.routing;

import io.gangway.auth.Credentials;
import io.gangway.core.config.GangwayConfig;
import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which credentials go to which upstream. Credentials are only ever sent to the upstream they
 * were configured for: a route not listed here gets none.
 */
public final class UpstreamCredentials {

    private final Map<Route, Credentials> byRoute = new HashMap<>();

    /**
     * Registers the account for an upstream: the user of its URL, else the configured user; the
     * password of its URL, else the configured password and NT hash.
     */
    public void register(ProxyUrl upstream, GangwayConfig config) {
        String user = upstream.user() != null ? upstream.user() : config.user();
        if (user == null) {
            return;
        }
        Credentials credentials = upstream.password() != null
                ? new Credentials(user, config.domain(), upstream.password(), null)
                : new Credentials(user, config.domain(), config.password(), config.ntHash());
        byRoute.putIfAbsent(upstream.route(), credentials);
    }

    public Optional<Credentials> forRoute(Route route) {
        return Optional.ofNullable(byRoute.get(route));
    }

    /** The account name a pool keys connections by: "-" for none. */
    public String identity(Route route) {
        Credentials c = byRoute.get(route);
        return c == null ? "-" : c.identity();
    }
}
