package io.gangway.core.upstream;

import io.gangway.auth.AuthRequest;
import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSession;
import io.gangway.auth.AuthSchemes;
import io.gangway.auth.AuthTarget;
import io.gangway.auth.AuthenticationException;
import io.gangway.auth.AuthenticationException.Reason;
import io.gangway.auth.Challenge;
import io.gangway.auth.ChallengeParser;
import io.gangway.auth.Credentials;
import io.gangway.core.routing.UpstreamCredentials;
import io.gangway.routing.Route;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the 407 loop on one upstream connection: which {@code Proxy-Authorization} to send
 * before a request, and how to answer a challenge. Remembers per upstream which scheme it wants,
 * so that later connections start with it (Basic goes preemptively; a connection-bound scheme
 * starts its handshake on the first request instead of waiting for a 407).
 */
public final class UpstreamAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(UpstreamAuthenticator.class);
    /** More rounds than any scheme needs (NTLM takes two): the upstream is looping. */
    private static final int MAX_ROUNDS = 4;

    private final AuthSchemes schemes;
    private final List<String> preference;
    private final UpstreamCredentials credentials;
    private final Map<Route, AuthScheme> wanted = new ConcurrentHashMap<>();
    /**
     * Sessions of request-bound schemes, shared by all requests of one account to an upstream
     * (Digest's nonce count); keyed by the secret too, so a changed password starts afresh.
     */
    private final Map<CredentialGuard.Key, AuthSession> shared = new ConcurrentHashMap<>();

    private final CredentialGuard guard;

    public UpstreamAuthenticator(AuthSchemes schemes, List<String> preference, UpstreamCredentials credentials,
                                 CredentialGuard guard) {
        this.schemes = schemes;
        this.preference = preference;
        this.credentials = credentials;
        this.guard = guard;
    }

    /** Whether a 407 on this connection could be answered, so a request body is worth keeping. */
    public boolean mayChallenge(UpstreamConnection conn) {
        // A request-bound scheme can be challenged again at any time (Digest's stale nonce).
        boolean settled = conn.authenticated && conn.scheme.connectionBound();
        return !conn.route().isDirect() && !settled && credentials.forRoute(conn.route()).isPresent();
    }

    /** The {@code Proxy-Authorization} value for the next request on {@code conn}, or null. */
    public String tokenFor(UpstreamConnection conn, AuthRequest request) throws AuthenticationException {
        Route route = conn.route();
        if (route.isDirect() || (conn.authenticated && conn.scheme.connectionBound())) {
            return null;
        }
        Optional<Credentials> creds = credentials.forRoute(route);
        AuthScheme scheme = wanted.get(route);
        if (creds.isEmpty() || scheme == null || guard.blocked(key(route, creds.get())).isPresent()) {
            return null;
        }
        AuthSession session = scheme.connectionBound()
                ? scheme.newSession(creds.get(), target(route)) : shared.get(key(route, creds.get()));
        String token = session == null ? null : session.initialToken(request).orElse(null);
        // conn.session is set only when a token from it went out: a 407 then answers that token.
        conn.scheme = scheme;
        conn.session = token == null ? null : session;
        return token;
    }

    /**
     * The answer to a 407 from {@code conn}'s upstream. Throws when there is none: no
     * credentials for this upstream, no scheme in common, credentials rejected, or a malformed
     * challenge; the message tells the user what to check.
     */
    public String onChallenge(UpstreamConnection conn, HttpHeaders headers, AuthRequest request)
            throws AuthenticationException {
        Route route = conn.route();
        List<Challenge> offered = ChallengeParser.parseAll(headers.getAll(HttpHeaderNames.PROXY_AUTHENTICATE));
        Optional<Credentials> creds = credentials.forRoute(route);
        if (creds.isEmpty()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority()
                    + " requires authentication (offers " + String.join(", ", AuthSchemes.names(offered))
                    + ") but no user is configured for it: give the upstream as http://USER@host:port or set --user, "
                    + "and the password in GANGWAY_PASSWORD or --password-file");
        }
        CredentialGuard.Key key = key(route, creds.get());
        Optional<String> blocked = guard.blocked(key);
        if (blocked.isPresent()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, blocked.get());
        }
        try {
            return answer(conn, offered, creds.get(), request);
        } catch (AuthenticationException e) {
            if (e.reason() == Reason.REJECTED) {
                throw new AuthenticationException(Reason.REJECTED, guard.rejected(key, schemeOf(conn)), e);
            }
            throw e;
        }
    }

    private String answer(UpstreamConnection conn, List<Challenge> offered, Credentials creds, AuthRequest request)
            throws AuthenticationException {
        Route route = conn.route();
        if (++conn.rounds > MAX_ROUNDS) {
            throw new AuthenticationException(Reason.REJECTED, "upstream " + route.authority()
                    + " kept challenging after " + MAX_ROUNDS + " rounds for user '" + creds.identity() + "'");
        }
        if (conn.session != null) {
            for (Challenge challenge : offered) {
                if (challenge.isScheme(conn.scheme.name())) {
                    return conn.session.respond(challenge, request);
                }
            }
            throw new AuthenticationException(Reason.REJECTED, "upstream " + route.authority() + " rejected "
                    + conn.scheme.name() + " credentials for user '" + creds.identity() + "'");
        }
        AuthSchemes.Chosen chosen = schemes.choose(offered, preference).orElseThrow(() ->
                new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority() + " offers "
                        + String.join(", ", AuthSchemes.names(offered)) + "; none is among the schemes Gangway may use ("
                        + String.join(", ", preference) + ")"));
        if (wanted.put(route, chosen.scheme()) != chosen.scheme()) {
            log.info("upstream {} asks for authentication; using {} (offered: {})", route.authority(),
                    chosen.scheme().name(), String.join(", ", AuthSchemes.names(offered)));
        }
        AuthSession session = chosen.scheme().newSession(creds, target(route));
        String token = session.respond(chosen.challenge(), request);
        if (!chosen.scheme().connectionBound()) {
            shared.put(key(route, creds), session);
        }
        conn.scheme = chosen.scheme();
        conn.session = session;
        return token;
    }

    /** The upstream answered with something other than 407: the handshake, if any, succeeded. */
    public void onAccepted(UpstreamConnection conn) {
        if (conn.session != null) {
            credentials.forRoute(conn.route()).ifPresent(c -> guard.accepted(key(conn.route(), c)));
            conn.authenticated = true;
            conn.session = null;
        }
    }

    /** The scheme this connection uses, for the access log; "-" when none. */
    public static String schemeOf(UpstreamConnection conn) {
        return conn.scheme == null ? "-" : conn.scheme.name();
    }

    private static CredentialGuard.Key key(Route route, Credentials creds) {
        return new CredentialGuard.Key(route, creds.identity(), creds.secretFingerprint());
    }

    private static AuthTarget target(Route route) {
        return new AuthTarget(route.host(), route.port());
    }
}
