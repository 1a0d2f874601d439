package io.gangway.core.config;

/** Where routes come from. */
public enum RoutingMode {
    /** The upstreams given with --upstream, with --no-proxy. */
    MANUAL,
    /** A PAC script (--pac), or one found by WPAD. */
    PAC,
    /** The environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), then the OS settings, then DIRECT. */
    SYSTEM,
    /** Always DIRECT. */
    DIRECT
}
