package io.gangway.auth;

import java.util.Optional;

/**
 * One authentication handshake with an upstream proxy: the client side of a
 * {@code 407 Proxy-Authenticate} / {@code Proxy-Authorization} exchange.
 *
 * <p>A session is used by one connection (connection-bound schemes) or one request at a time and
 * is not thread-safe. Methods may block (a Kerberos ticket request does): callers keep them off
 * I/O threads when {@link #mayBlock()} says so.
 */
public interface AuthSession {

    /**
     * The {@code Proxy-Authorization} value to send before any challenge, or empty when the
     * scheme must see a challenge first (NTLM needs none to start, but Digest does).
     */
    Optional<String> initialToken(AuthRequest request) throws AuthenticationException;

    /**
     * Answers a challenge of this session's scheme with the next {@code Proxy-Authorization}
     * value. Throws {@link AuthenticationException} when the handshake cannot go on: the
     * credentials were rejected (a challenge after the last leg), or the challenge is malformed.
     */
    String respond(Challenge challenge, AuthRequest request) throws AuthenticationException;

    /** True when creating tokens may block the caller (network, KDC). */
    default boolean mayBlock() {
        return false;
    }
}
