package io.gangway.auth;

/**
 * A handshake that cannot go on. The message is shown to users and logged, so it must never
 * contain a secret: name the user, the upstream and the scheme, not the password or a token.
 */
public class AuthenticationException extends Exception {

    /** Why the handshake stopped; the proxy reacts differently to each. */
    public enum Reason {
        /** The upstream refused the credentials at the end of a complete handshake. */
        REJECTED,
        /** The upstream sent a challenge that cannot be parsed or answered. */
        MALFORMED_CHALLENGE,
        /** This side cannot produce a token (no credentials, no ticket, KDC unreachable). */
        UNAVAILABLE
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public AuthenticationException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
