package io.gangway.core.config;

/** Where routes come from. */
public enum RoutingMode {
    /** The upstreams given with --upstream, with --no-proxy. */
    MANUAL,
    /** The environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), then DIRECT. */
    SYSTEM,
    /** Always DIRECT. */
    DIRECT
}
