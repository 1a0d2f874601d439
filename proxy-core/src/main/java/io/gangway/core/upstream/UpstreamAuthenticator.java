package io.gangway.core.upstream;

import io.gangway.auth.AuthRequest;
import io.gangway.auth.AuthScheme;
import io.gangway.auth.AuthSchemes;
import io.gangway.auth.AuthSession;
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
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives the 407 loop on one upstream connection: which {@code Proxy-Authorization} to send
 * before a request, and how to answer a challenge. Remembers per upstream which scheme it wants,
 * so that later connections start with it (Basic and Digest sign preemptively; a
 * connection-bound scheme starts its handshake on the first request instead of waiting for a
 * 407). Results come as futures completed on the connection's event loop: schemes that may
 * block (Kerberos asks a KDC) run on {@code blockingExecutor}, the others at once.
 */
public final class UpstreamAuthenticator {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    /** More rounds than any scheme needs (NTLM takes two): the upstream is looping. */
    private static final int MAX_ROUNDS = 4;

    private final AuthSchemes schemes;
    private final List<String> preference;
    private final UpstreamCredentials credentials;
    private final CredentialGuard guard;
    private final Executor blockingExecutor;
    private final Map<Route, AuthScheme> wanted = new ConcurrentHashMap<>();
    /** Upstreams that answered without asking for authentication: no need to keep bodies for them. */
    private final java.util.Set<Route> open = ConcurrentHashMap.newKeySet();
    /**
     * Sessions of request-bound schemes, shared by all requests of one account to an upstream
     * (Digest's nonce count); keyed by the secret too, so a changed password starts afresh.
     */
    private final Map<CredentialGuard.Key, AuthSession> shared = new ConcurrentHashMap<>();

    private final boolean canonicalizeHosts;

    public UpstreamAuthenticator(AuthSchemes schemes, List<String> preference, UpstreamCredentials credentials,
                                 CredentialGuard guard, Executor blockingExecutor, boolean canonicalizeHosts) {
        this.canonicalizeHosts = canonicalizeHosts;
        this.schemes = schemes;
        this.preference = preference;
        this.credentials = credentials;
        this.guard = guard;
        this.blockingExecutor = blockingExecutor;
    }

    /** Whether a 407 on this connection could be answered, so a request body is worth keeping. */
    public boolean mayChallenge(UpstreamConnection conn) {
        // A request-bound scheme can be challenged again at any time (Digest's stale nonce).
        boolean settled = conn.authenticated && conn.scheme.connectionBound();
        return conn.route().isHttpProxy() && !settled && !open.contains(conn.route())
                && credentials.forRoute(conn.route()).isPresent();
    }

    /**
     * Whether a request with a body should wait until a body-less request has authenticated
     * {@code conn}: a 407 is coming (the scheme is unknown, or a connection-bound handshake has
     * only started), and proxies stop reading a body they answered 407 to.
     */
    public boolean handshakeFirst(UpstreamConnection conn, String tokenSent) {
        return mayChallenge(conn) && (tokenSent == null || conn.scheme.connectionBound());
    }

    /** The {@code Proxy-Authorization} value for the next request on {@code conn}; null for none. */
    public Future<String> tokenFor(UpstreamConnection conn, AuthRequest request) {
        AuthScheme scheme = conn.route().isHttpProxy() ? wanted.get(conn.route()) : null;
        return run(conn.channel().eventLoop(), scheme != null && scheme.mayBlock(), () -> token(conn, scheme, request));
    }

    /**
     * The answer to a 407 from {@code conn}'s upstream. Fails with an {@link AuthenticationException}
     * when there is none (no credentials, no scheme in common, credentials rejected or blocked, a
     * malformed challenge); its message tells the user what to check.
     */
    public Future<String> onChallenge(UpstreamConnection conn, HttpHeaders headers, AuthRequest request) {
        List<Challenge> offered;
        try {
            offered = ChallengeParser.parseAll(headers.getAll(HttpHeaderNames.PROXY_AUTHENTICATE));
        } catch (AuthenticationException e) {
            return conn.channel().eventLoop().newFailedFuture(e);
        }
        boolean blocking = offered.stream().anyMatch(c -> schemes.find(c.scheme()).map(AuthScheme::mayBlock).orElse(false));
        return run(conn.channel().eventLoop(), blocking, () -> answer(conn, offered, request));
    }

    /** The upstream answered with something other than 407: the handshake, if any, succeeded. */
    public void onAccepted(UpstreamConnection conn) {
        if (conn.session == null && conn.scheme == null && conn.route().isHttpProxy()) {
            open.add(conn.route());
        }
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

    private String token(UpstreamConnection conn, AuthScheme scheme, AuthRequest request) throws AuthenticationException {
        Route route = conn.route();
        if (scheme == null || (conn.authenticated && conn.scheme.connectionBound())) {
            return null;
        }
        Optional<Credentials> creds = credentials.forRoute(route);
        if (creds.isEmpty() || guard.blocked(key(route, creds.get())).isPresent()) {
            return null;
        }
        AuthSession session = scheme.connectionBound()
                ? scheme.newSession(creds.get(), target(route)) : shared.get(key(route, creds.get()));
        String token;
        try {
            token = session == null ? null : session.initialToken(request).orElse(null);
        } catch (AuthenticationException e) {
            // e.g. no Kerberos ticket yet: go without and let the challenge pick a scheme
            log.debug("no preemptive {} token for {}: {}", scheme.name(), route.authority(), e.getMessage());
            token = null;
        }
        // conn.session is set only when a token from it went out: a 407 then answers that token.
        conn.scheme = scheme;
        conn.session = token == null ? null : session;
        return token;
    }

    private String answer(UpstreamConnection conn, List<Challenge> offered, AuthRequest request)
            throws AuthenticationException {
        Route route = conn.route();
        Optional<Credentials> creds = credentials.forRoute(route);
        if (creds.isEmpty()) {
            throw noUser(route, offered);
        }
        CredentialGuard.Key key = key(route, creds.get());
        Optional<String> blocked = guard.blocked(key);
        if (blocked.isPresent()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, blocked.get());
        }
        if (++conn.rounds > MAX_ROUNDS) {
            throw rejected(conn, key, new AuthenticationException(Reason.REJECTED, "upstream " + route.authority()
                    + " kept challenging after " + MAX_ROUNDS + " rounds for user '" + creds.get().identity() + "'"));
        }
        if (conn.session != null) {
            Optional<Challenge> same = offered.stream().filter(c -> c.isScheme(conn.scheme.name())).findFirst();
            try {
                if (same.isEmpty()) {
                    throw new AuthenticationException(Reason.REJECTED, "upstream " + route.authority() + " rejected "
                            + conn.scheme.name() + " credentials for user '" + creds.get().identity() + "'");
                }
                return conn.session.respond(same.get(), request);
            } catch (AuthenticationException e) {
                if (e.reason() != Reason.REJECTED || !conn.scheme.name().equalsIgnoreCase("Negotiate")) {
                    throw e.reason() == Reason.REJECTED ? rejected(conn, key, e) : e;
                }
                // A Kerberos ticket the proxy would not take (wrong SPN, clock skew): try the
                // next scheme it offers; no password was tried, so no lockout strike.
                log.warn("{}; trying the next scheme it offers", e.getMessage());
                conn.session = null;
                return start(conn, offered, creds.get(), request, conn.scheme);
            }
        }
        return start(conn, offered, creds.get(), request, null);
    }

    /** Starts a handshake with the preferred offered scheme that can produce a token. */
    private String start(UpstreamConnection conn, List<Challenge> offered, Credentials creds, AuthRequest request,
                         AuthScheme skip) throws AuthenticationException {
        Route route = conn.route();
        List<String> unusable = new ArrayList<>();
        for (String name : preference) {
            Optional<AuthScheme> candidate = schemes.find(name).filter(s -> s != skip);
            Optional<Challenge> challenge = candidate.flatMap(s -> offered.stream().filter(c -> c.isScheme(s.name())).findFirst());
            if (challenge.isEmpty()) {
                continue;
            }
            AuthScheme scheme = candidate.get();
            if (scheme.needsUser() && creds.user().isEmpty()) {
                unusable.add(scheme.name() + ": no user configured");
                continue;
            }
            AuthSession session = scheme.newSession(creds, target(route));
            String token;
            try {
                token = session.respond(challenge.get(), request);
            } catch (AuthenticationException e) {
                if (e.reason() != Reason.UNAVAILABLE) {
                    throw e;
                }
                log.info("{} cannot be used with upstream {}: {}", scheme.name(), route.authority(), e.getMessage());
                unusable.add(scheme.name() + ": " + e.getMessage());
                continue;
            }
            open.remove(route);
            if (wanted.put(route, scheme) != scheme) {
                log.info("upstream {} asks for authentication; using {} (offered: {})", route.authority(),
                        scheme.name(), String.join(", ", AuthSchemes.names(offered)));
            }
            if (!scheme.connectionBound()) {
                shared.put(key(route, creds), session);
            }
            conn.scheme = scheme;
            conn.session = session;
            return token;
        }
        if (creds.user().isEmpty() && unusable.stream().allMatch(u -> u.endsWith("no user configured"))) {
            throw noUser(route, offered);
        }
        throw new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority() + " offers "
                + String.join(", ", AuthSchemes.names(offered)) + "; "
                + (unusable.isEmpty() ? "none is among the schemes Gangway may use (" + String.join(", ", preference) + ")"
                : "none could be used: " + String.join("; ", unusable)));
    }

    private AuthenticationException rejected(UpstreamConnection conn, CredentialGuard.Key key, AuthenticationException e) {
        return new AuthenticationException(Reason.REJECTED, guard.rejected(key, schemeOf(conn)), e);
    }

    private static AuthenticationException noUser(Route route, List<Challenge> offered) {
        return new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority()
                + " requires authentication (offers " + String.join(", ", AuthSchemes.names(offered))
                + ") but no user is configured for it: give the upstream as http://USER@host:port or set --user, "
                + "and the password in GANGWAY_PASSWORD or --password-file");
    }

    private interface TokenWork {
        String call() throws AuthenticationException;
    }

    /** Runs token work now, or on the blocking executor; completes on {@code loop}. */
    private Future<String> run(EventExecutor loop, boolean blocking, TokenWork work) {
        Promise<String> promise = loop.newPromise();
        if (!blocking) {
            complete(promise, work);
            return promise;
        }
        try {
            blockingExecutor.execute(() -> complete(promise, work));
        } catch (RejectedExecutionException e) {
            promise.setFailure(new AuthenticationException(Reason.UNAVAILABLE, "too many authentications in progress"));
        }
        return promise;
    }

    private static void complete(Promise<String> promise, TokenWork work) {
        try {
            promise.setSuccess(work.call());
        } catch (AuthenticationException e) {
            promise.setFailure(e);
        } catch (RuntimeException e) {
            promise.setFailure(new AuthenticationException(Reason.UNAVAILABLE, "authentication failed: " + e, e));
        }
    }

    private static CredentialGuard.Key key(Route route, Credentials creds) {
        return new CredentialGuard.Key(route, creds.identity(), creds.secretFingerprint());
    }

    private AuthTarget target(Route route) {
        return new AuthTarget(route.host(), route.port(), canonicalizeHosts);
    }
}
