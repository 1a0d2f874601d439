package io.gangway.core.config;

import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.nio.file.Path;
import java.util.List;

/**
 * The routing and upstream-account settings of one {@link Profile}, validated.
 *
 * @param password the password for upstream users (from the password file or the environment), or null
 * @param ntHash   the NT hash of that password, or null
 * @param auth     allowed schemes, lower case, in order of preference
 * @param pac      where the PAC comes from and how it is used
 */
public record RoutingProfile(
        Profile profile,
        RoutingMode routing,
        PacSettings pac,
        List<ProxyUrl> upstreams,
        Path upstreamCa,
        NoProxyRules noProxy,
        boolean directFallback,
        String user,
        String domain,
        char[] password,
        byte[] ntHash,
        List<String> auth,
        String principal,
        Path keytab,
        boolean kerberosCanonicalize,
        Path passwordFile,
        Path ntHashFile) {

    @Override
    public String toString() {
        return profile + "[routing=" + routing + ", upstreams=" + upstreams + ", noProxy=" + noProxy
                + ", directFallback=" + directFallback + ", user=" + user + ", domain=" + domain
                + ", password=" + (password == null ? "none" : "***") + ", ntHash=" + (ntHash == null ? "none" : "***")
                + ", auth=" + auth + "]";
    }
}
