package io.gangway.core.config;

import io.gangway.routing.Cidr;
import io.gangway.routing.NoProxyRules;
import io.gangway.routing.ProxyUrl;
import java.time.Duration;
import java.util.List;

/**
 * The validated configuration of a running proxy. Built by {@link ConfigLoader}; every field
 * has its key in {@link ConfigKey}.
 *
 * @param password the password for upstream users (from GANGWAY_PASSWORD or the password file),
 *                 or null
 * @param ntHash   the NT hash of that password (GANGWAY_NT_HASH or the NT hash file), or null
 * @param auth     allowed schemes, lower case, in order of preference
 * @param pac      where the PAC comes from and how it is used (routing pac, or a PAC the OS names)
 */
public record GangwayConfig(
        List<ListenAddress> listen,
        List<Cidr> allow,
        RoutingMode routing,
        PacSettings pac,
        List<ProxyUrl> upstreams,
        java.nio.file.Path upstreamCa,
        NoProxyRules noProxy,
        boolean directFallback,
        String user,
        String domain,
        char[] password,
        byte[] ntHash,
        List<String> auth,
        String principal,
        java.nio.file.Path keytab,
        boolean kerberosCanonicalize,
        Duration lockoutBackoff,
        Duration lockoutBackoffMax,
        java.nio.file.Path passwordFile,
        java.nio.file.Path ntHashFile,
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

    @Override
    public String toString() {
        return "GangwayConfig[listen=" + listen + ", allow=" + allow + ", routing=" + routing
                + ", upstreams=" + upstreams + ", noProxy=" + noProxy + ", directFallback=" + directFallback
                + ", user=" + user + ", domain=" + domain + ", password=" + (password == null ? "none" : "***")
                + ", ntHash=" + (ntHash == null ? "none" : "***") + ", auth=" + auth + "]";
    }
}
