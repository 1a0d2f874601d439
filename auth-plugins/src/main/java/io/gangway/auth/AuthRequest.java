package io.gangway.auth;

/**
 * The request a token is for, as sent to the upstream proxy: Digest signs it.
 *
 * @param method e.g. {@code GET} or {@code CONNECT}
 * @param uri    the request-target: an absolute URI, or {@code host:port} for CONNECT
 */
public record AuthRequest(String method, String uri) {
}
