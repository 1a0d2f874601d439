package io.gangway.core.upstream;

import io.gangway.routing.Route;

/**
 * What makes two upstream connections interchangeable: the same route, the same origin for
 * DIRECT connections, and the same account (an NTLM-authenticated connection belongs to one
 * user).
 *
 * @param origin   {@code host:port} of the origin for DIRECT routes, empty for proxies
 * @param identity the account's identity, or "-" for none
 */
public record PoolKey(Route route, String origin, String identity) {
}
