package io.gangway.core.routing;

import io.gangway.auth.Credentials;
import io.gangway.core.config.AccountSettings;
import io.gangway.routing.ProxyUrl;
import io.gangway.routing.Route;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which credentials go to which upstream. Credentials are only ever sent to the upstream they
 * were configured for: a route not listed here gets none, unless the routes come from a PAC or
 * the OS settings ({@link #registerAnyProxy}): then the configured account goes to the HTTP
 * proxies they name, as a browser's would. The shared secret (password or NT hash) can be
 * replaced while running, when its file changes.
 */
public final class UpstreamCredentials {

    private final Map<Route, ProxyUrl> upstreams = new LinkedHashMap<>();
    private String user;
    private String domain;
    private String principal;
    private String keytab;
    private char[] password;
    private byte[] ntHash;
    private volatile Map<Route, Credentials> byRoute = Map.of();
    private boolean anyProxy;
    private volatile Credentials forAnyProxy;

    /**
     * Registers the account for an upstream: the user of its URL, else the configured user; the
     * password of its URL, else the configured password and NT hash.
     */
    public synchronized void register(ProxyUrl upstream, AccountSettings account) {
        upstreams.putIfAbsent(upstream.route(), upstream);
        configure(account);
    }

    /** The configured account for every HTTP proxy a PAC or the OS names (none are known in advance). */
    public synchronized void registerAnyProxy(AccountSettings account) {
        anyProxy = true;
        configure(account);
    }

    private void configure(AccountSettings account) {
        user = account.user();
        domain = account.domain();
        principal = account.principal();
        keytab = account.keytab() == null ? null : account.keytab().toString();
        password = account.password();
        ntHash = account.ntHash();
        rebuild();
    }

    /** Replaces the configured secret (a changed password or NT hash file). */
    public synchronized void updateSecret(char[] newPassword, byte[] newNtHash) {
        password = newPassword;
        ntHash = newNtHash;
        rebuild();
    }

    private void rebuild() {
        Map<Route, Credentials> next = new HashMap<>();
        for (ProxyUrl upstream : upstreams.values()) {
            // No user at all still leaves Kerberos from the ticket cache (or a keytab).
            String login = upstream.user() != null ? upstream.user() : user == null ? "" : user;
            Credentials credentials = upstream.password() != null
                    ? new Credentials(login, domain, upstream.password(), null)
                    : new Credentials(login, domain, password, ntHash);
            next.put(upstream.route(), credentials.withKerberos(principal, keytab));
        }
        byRoute = Map.copyOf(next);
        forAnyProxy = !anyProxy ? null : new Credentials(user == null ? "" : user, domain, password, ntHash)
                .withKerberos(principal, keytab);
    }

    public Optional<Credentials> forRoute(Route route) {
        return Optional.ofNullable(lookup(route));
    }

    private Credentials lookup(Route route) {
        Credentials c = byRoute.get(route);
        return c != null || !route.isHttpProxy() ? c : forAnyProxy;
    }

    /** The account name a pool keys connections by: "-" for none. */
    public String identity(Route route) {
        Credentials c = lookup(route);
        return c == null || c.user().isEmpty() && c.keytab() == null ? "-" : c.identity() + "#" + c.secretFingerprint();
    }
}
