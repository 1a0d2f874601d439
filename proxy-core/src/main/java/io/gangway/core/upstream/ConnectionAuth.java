package io.gangway.core.upstream;

import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSession;

/**
 * The authentication state of one upstream connection. Owned by the connection's event loop:
 * token work on the {@code gangway-auth} pool reads a {@link Snapshot} taken on the loop and
 * hands back an {@link Authorization}, which the loop applies here.
 */
final class ConnectionAuth {

    /** Where the connection's handshake stands. */
    enum State {
        /** No token of a handshake went out on this connection (no scheme known, or none usable yet). */
        NONE,
        /** A token of {@link #session} went out: a 407 answers it, anything else accepts it. */
        PENDING,
        /** The upstream accepted a token: a connection-bound scheme needs no more on this connection. */
        ACCEPTED
    }

    /** What token work needs to know of the connection, read on the loop before the work starts. */
    record Snapshot(State state, AuthScheme scheme, AuthSession session) {
    }

    /**
     * The result of token work, applied on the loop.
     *
     * @param scheme  the scheme the token belongs to (null when none is known)
     * @param session the session that made the token; null when no token goes out
     * @param header  the {@code Proxy-Authorization} value; null for none
     */
    record Authorization(AuthScheme scheme, AuthSession session, String header) {

        static final Authorization NONE = new Authorization(null, null, null);
    }

    private State state = State.NONE;
    private AuthScheme scheme;
    private AuthSession session;
    /** Challenges answered in the current exchange, to stop a handshake that never ends. */
    private int rounds;

    Snapshot snapshot() {
        return new Snapshot(state, scheme, session);
    }

    /** The token for the next message is made: it goes out with the message (or none does). */
    void apply(Authorization authorization) {
        if (authorization.scheme() != null) {
            scheme = authorization.scheme();
        }
        if (authorization.header() != null) {
            session = authorization.session();
            state = State.PENDING;
        }
    }

    /**
     * The upstream answered with something other than 407. True when that settled a handshake
     * (a token had gone out): the credentials are good.
     */
    boolean accept() {
        if (state != State.PENDING) {
            return false;
        }
        state = State.ACCEPTED;
        session = null;
        return true;
    }

    /** True when no token is needed any more: a connection-bound handshake completed here. */
    boolean settled() {
        return state == State.ACCEPTED && scheme.connectionBound();
    }

    /** Counts a challenge answered; returns the count in this exchange. */
    int countRound() {
        return ++rounds;
    }

    /** A new exchange on this connection. */
    void newExchange() {
        rounds = 0;
    }

    State state() {
        return state;
    }

    /** The scheme in use, for the access log; "-" when none. */
    String schemeName() {
        return scheme == null ? "-" : scheme.name();
    }

    AuthScheme scheme() {
        return scheme;
    }
}
