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

    /**
     * True when a rejection of this scheme's token says nothing about the account's password (a
     * Kerberos ticket for the wrong service name, a clock skew): the core then tries the next
     * scheme the upstream offers on the same connection, and records no lockout strike.
     */
    default boolean fallsBackWhenRejected() {
        return false;
    }

    /**
     * How strong the scheme is, to order the default preference (strongest first): Negotiate 40,
     * NTLM 30, Digest 20, Basic 10; a scheme that says nothing comes last.
     */
    default int strength() {
        return 0;
    }

    /**
     * Reads this scheme's settings from the process environment, once, before any session
     * (Kerberos: {@code KRB5_CONFIG}, {@code KRB5CCNAME}). Most schemes have none.
     */
    default void useEnvironment(java.util.Map<String, String> env) {
    }

    /** Starts a handshake for one upstream proxy with one set of credentials. */
    AuthSession newSession(Credentials credentials, AuthTarget target);
}
