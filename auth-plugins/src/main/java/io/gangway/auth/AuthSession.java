package io.gangway.auth;

import java.util.Optional;

/**
 * One authentication handshake with an upstream proxy: the client side of a
 * {@code 407 Proxy-Authenticate} / {@code Proxy-Authorization} exchange.
 *
 * <p>A connection-bound session is used by one connection at a time; a request-bound one may be
 * shared by concurrent requests and must then be thread-safe. Methods may block when the
 * scheme's {@link AuthScheme#mayBlock()} says so (a Kerberos ticket request does).
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

    /**
     * Whether the last token made proves the password (Basic, Digest, NTLM's Type 3), so that an
     * upstream may count it as a login: when the upstream closes the connection instead of
     * answering it, Gangway counts a possible failed login rather than send the password again.
     */
    default boolean lastTokenProvesPassword() {
        return true;
    }
}
