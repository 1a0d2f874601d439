package io.gangway.core.routing;

import io.gangway.auth.Credentials;
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
     * @param defaultUser     user for upstreams whose URL names none, or null
     * @param defaultPassword password for users without a password in their URL, or null
     */
    public void register(ProxyUrl upstream, String defaultUser, char[] defaultPassword) {
        String user = upstream.user() != null ? upstream.user() : defaultUser;
        if (user == null) {
            return;
        }
        char[] password = upstream.password() != null ? upstream.password() : defaultPassword;
        byRoute.putIfAbsent(upstream.route(), new Credentials(user, password));
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
