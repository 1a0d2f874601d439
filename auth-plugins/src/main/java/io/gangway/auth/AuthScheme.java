package io.gangway.auth;

/**
 * An upstream proxy authentication scheme (Basic, Digest, NTLM, Negotiate...).
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: adding a scheme means
 * adding a class and a line in {@code META-INF/services/io.gangway.auth.AuthScheme}, never
 * touching the proxy core. A scheme is stateless; per-handshake state lives in the
 * {@link AuthSession} it creates.
 */
public interface AuthScheme {

    /** The scheme token as it appears in {@code Proxy-Authenticate}, e.g. {@code "Basic"}. */
    String name();

    /**
     * Whether a successful handshake authenticates the TCP connection rather than one request
     * (NTLM, Negotiate). Such a connection must be reused as it is and never shared across
     * credentials; a request-bound scheme (Basic, Digest) sends a token with every request.
     */
    boolean connectionBound();

    /** True when making tokens may block (a KDC round trip): callers keep it off I/O threads. */
    default boolean mayBlock() {
        return false;
    }

    /** False for schemes that can work without a user name (Kerberos from a ticket cache). */
    default boolean needsUser() {
        return true;
    }

    /** Starts a handshake for one upstream proxy with one set of credentials. */
    AuthSession newSession(Credentials credentials, AuthTarget target);
}
