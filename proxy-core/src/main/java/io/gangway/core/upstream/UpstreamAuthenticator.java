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
import io.gangway.core.upstream.ConnectionAuth.Authorization;
import io.gangway.routing.Route;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.PromiseNotifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to send to an upstream proxy for authentication: the {@code Proxy-Authorization} before a
 * message, and the answer to a 407. Remembers per upstream which scheme it wants, so that later
 * connections start with it (Basic and Digest sign preemptively; a connection-bound scheme starts
 * its handshake on the first message instead of waiting for a 407). Results are futures
 * completed on the connection's event loop, after the loop has applied them to the connection's
 * {@link ConnectionAuth}: schemes that may block (Kerberos asks a KDC) run on
 * {@code blockingExecutor} with a snapshot of that state, and write nothing shared.
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
    private final boolean canonicalizeHosts;
    private final Map<Route, AuthScheme> wanted = new ConcurrentHashMap<>();
    /** Upstreams that answered without asking for authentication: no need to keep bodies for them. */
    private final Set<Route> open = ConcurrentHashMap.newKeySet();
    /**
     * Sessions of request-bound schemes, shared by all requests of one account to an upstream
     * (Digest's nonce count); keyed by the secret too, so a changed password starts afresh.
     */
    private final Map<CredentialGuard.Key, AuthSession> shared = new ConcurrentHashMap<>();
    private final SchemeNotes notes;

    /**
     * Told what became of each scheme that a handshake did not end with: passed over (no
     * ticket, no user) or rejected, with why ({@code check --login} reports them).
     */
    public interface SchemeNotes {
        SchemeNotes NONE = (route, scheme, what) -> { };

        void note(Route route, String scheme, String what);

        /** A token of {@code scheme} goes to the upstream (one round of a handshake). */
        default void tokenSent(Route route, String scheme) {
        }
    }

    public UpstreamAuthenticator(AuthSchemes schemes, List<String> preference, UpstreamCredentials credentials,
                                 CredentialGuard guard, Executor blockingExecutor, boolean canonicalizeHosts) {
        this(schemes, preference, credentials, guard, blockingExecutor, canonicalizeHosts, SchemeNotes.NONE);
    }

    public UpstreamAuthenticator(AuthSchemes schemes, List<String> preference, UpstreamCredentials credentials,
                                 CredentialGuard guard, Executor blockingExecutor, boolean canonicalizeHosts,
                                 SchemeNotes notes) {
        this.notes = notes;
        this.schemes = schemes;
        this.preference = preference;
        this.credentials = credentials;
        this.guard = guard;
        this.blockingExecutor = blockingExecutor;
        this.canonicalizeHosts = canonicalizeHosts;
    }

    /** Whether a 407 on this connection could be answered, so a request body is worth keeping. */
    public boolean mayChallenge(UpstreamConnection conn) {
        // A request-bound scheme can be challenged again at any time (Digest's stale nonce).
        return conn.route().isHttpProxy() && !conn.auth().settled() && !open.contains(conn.route())
                && credentials.forRoute(conn.route()).isPresent();
    }

    /**
     * Whether the upstream could ever ask this connection to authenticate (again): an HTTP proxy
     * with an account for it. Even an authenticated NTLM connection may be challenged when the
     * proxy's session ends, so a request body is worth keeping.
     */
    public boolean mayBeChallenged(UpstreamConnection conn) {
        return conn.route().isHttpProxy() && credentials.forRoute(conn.route()).isPresent();
    }

    /**
     * Whether a request with a body should wait until a body-less request has authenticated
     * {@code conn}: a 407 is coming (the scheme is unknown, or a connection-bound handshake has
     * only started), and proxies stop reading a body they answered 407 to.
     *
     * @param tokenSent the {@code Proxy-Authorization} the message would carry, or null
     */
    public boolean probeFirst(UpstreamConnection conn, String tokenSent) {
        return mayChallenge(conn) && (tokenSent == null || conn.auth().scheme().connectionBound());
    }

    /** The {@code Proxy-Authorization} value for the next message on {@code conn}; null for none. */
    public Future<String> authorize(UpstreamConnection conn, AuthRequest request) {
        AuthScheme scheme = conn.route().isHttpProxy() ? wanted.get(conn.route()) : null;
        boolean blocking = scheme != null && scheme.mayBlock();
        if (scheme == null || conn.auth().settled()) {
            ConnectionAuth.Snapshot state = conn.auth().snapshot();
            return run(conn, blocking, () -> token(conn.route(), state, scheme, request)); // sends no credentials
        }
        return afterFirstLogin(conn, () -> {
            ConnectionAuth.Snapshot state = conn.auth().snapshot();
            return run(conn, blocking, () -> token(conn.route(), state, scheme, request));
        });
    }

    /**
     * The answer to a 407 from {@code conn}'s upstream. Fails with an {@link AuthenticationException}
     * when there is none (no credentials, no scheme in common, credentials rejected or blocked, a
     * malformed challenge, a handshake that does not end); its message tells the user what to check.
     */
    public Future<String> answer(UpstreamConnection conn, HttpHeaders headers, AuthRequest request) {
        List<Challenge> offered;
        try {
            offered = ChallengeParser.parseAll(headers.getAll(HttpHeaderNames.PROXY_AUTHENTICATE));
        } catch (AuthenticationException e) {
            return conn.channel().eventLoop().newFailedFuture(e);
        }
        int round = conn.auth().countRound();
        boolean blocking = offered.stream().anyMatch(c -> schemes.find(c.scheme()).map(AuthScheme::mayBlock).orElse(false));
        return afterFirstLogin(conn, () -> {
            ConnectionAuth.Snapshot state = conn.auth().snapshot();
            return run(conn, blocking, () -> answer(conn.route(), state, offered, request, round));
        });
    }

    /**
     * Runs token work once {@code conn} may send its account's credentials: at once when they
     * were accepted before, else when no other connection's first login with them is in flight
     * ({@link FirstLoginGate}), nor another Gangway's that shares the lockout state
     * ({@link CredentialGuard#fleetTurn}). Work that sent no token, or failed, lets the next one go.
     */
    private Future<String> afterFirstLogin(UpstreamConnection conn, Supplier<Future<String>> work) {
        Optional<Credentials> creds = credentials.forRoute(conn.route());
        if (creds.isEmpty()) {
            return work.get();
        }
        CredentialGuard.Key key = key(conn.route(), creds.get());
        FirstLoginGate gate = guard.firstLogins();
        return gate.proven(key) ? work.get() : gate.around(key, conn, () -> afterFleetTurn(key, conn, work));
    }

    private Future<String> afterFleetTurn(CredentialGuard.Key key, UpstreamConnection conn, Supplier<Future<String>> work) {
        Promise<String> result = conn.channel().eventLoop().newPromise();
        guard.fleetTurn(key, conn).addListener(turn -> {
            if (!turn.isSuccess()) {
                result.tryFailure(turn.cause());
                return;
            }
            try {
                PromiseNotifier.cascade(work.get(), result);
            } catch (RuntimeException e) {
                result.tryFailure(e);
            }
        });
        return result;
    }

    /** The upstream answered with something other than 407: the handshake, if any, succeeded. */
    public void accepted(UpstreamConnection conn) {
        ConnectionAuth auth = conn.auth();
        if (auth.state() == ConnectionAuth.State.NONE && auth.scheme() == null && conn.route().isHttpProxy()) {
            open.add(conn.route());
        }
        if (auth.accept()) {
            credentials.forRoute(conn.route()).ifPresent(c -> guard.accepted(key(conn.route(), c)));
        }
    }

    /**
     * The upstream closed the connection instead of answering the credentials sent on it. When
     * the token proved the password it may have been a failed login: counted as a rejection, so
     * that the back-off holds the credentials back rather than a retry spending another.
     */
    public void closedAfterCredentials(UpstreamConnection conn) {
        ConnectionAuth.Snapshot state = conn.auth().snapshot();
        if (state.scheme() == null || state.session() == null || !state.session().lastTokenProvesPassword()) {
            return;
        }
        credentials.forRoute(conn.route()).ifPresent(creds -> {
            guard.rejected(key(conn.route(), creds), state.scheme().name());
            notes.note(conn.route(), state.scheme().name(), "rejected: the upstream closed the connection instead of "
                    + "answering the credentials");
        });
    }

    /** The scheme this connection uses, for the access log; "-" when none. */
    public static String schemeOf(UpstreamConnection conn) {
        return conn.auth().schemeName();
    }

    private Authorization token(Route route, ConnectionAuth.Snapshot state, AuthScheme scheme, AuthRequest request)
            throws AuthenticationException {
        if (scheme == null || state.state() == ConnectionAuth.State.ACCEPTED && state.scheme().connectionBound()) {
            return Authorization.NONE;
        }
        Optional<Credentials> creds = credentials.forRoute(route);
        if (creds.isEmpty() || guard.blocked(key(route, creds.get())).isPresent()) {
            return new Authorization(scheme, null, null);
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
        return new Authorization(scheme, token == null ? null : session, token);
    }

    private Authorization answer(Route route, ConnectionAuth.Snapshot state, List<Challenge> offered, AuthRequest request,
                                 int round) throws AuthenticationException {
        Optional<Credentials> creds = credentials.forRoute(route);
        if (creds.isEmpty()) {
            throw noUser(route, offered);
        }
        CredentialGuard.Key key = key(route, creds.get());
        Optional<String> blocked = guard.blocked(key);
        if (blocked.isPresent()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, blocked.get());
        }
        if (round > MAX_ROUNDS) {
            throw rejected(key, state.scheme(), new AuthenticationException(Reason.REJECTED, "upstream "
                    + route.authority() + " kept challenging after " + MAX_ROUNDS + " rounds for user '"
                    + creds.get().identity() + "'"));
        }
        if (state.state() != ConnectionAuth.State.PENDING) {
            return start(route, offered, creds.get(), request, null);
        }
        AuthScheme scheme = state.scheme();
        Optional<Challenge> same = offered.stream().filter(c -> c.isScheme(scheme.name())).findFirst();
        try {
            if (same.isEmpty()) {
                throw new AuthenticationException(Reason.REJECTED, "upstream " + route.authority() + " rejected "
                        + scheme.name() + " credentials for user '" + creds.get().identity() + "'");
            }
            return new Authorization(scheme, state.session(), state.session().respond(same.get(), request));
        } catch (AuthenticationException e) {
            if (e.reason() != Reason.REJECTED || !scheme.fallsBackWhenRejected()) {
                throw e.reason() == Reason.REJECTED ? rejected(key, scheme, e) : e;
            }
            // No password was tried (a ticket the proxy would not take): no lockout strike.
            log.warn("{}; trying the next scheme it offers", e.getMessage());
            notes.note(route, scheme.name(), "rejected, without a password tried: " + e.getMessage());
            return start(route, offered, creds.get(), request, scheme);
        }
    }

    /** Starts a handshake with the preferred offered scheme that can produce a token. */
    private Authorization start(Route route, List<Challenge> offered, Credentials creds, AuthRequest request,
                                AuthScheme skip) throws AuthenticationException {
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
                notes.note(route, scheme.name(), "not usable: no user configured");
                continue;
            }
            AuthSession session = scheme.newSession(creds, target(route));
            String token;
            try {
                token = session.respond(challenge.get(), request);
            } catch (AuthenticationException e) {
                if (e.reason() == Reason.REJECTED) {
                    // The password was tried (a KDC login): a strike, and no other scheme with it now.
                    throw rejected(key(route, creds), scheme, e);
                }
                if (e.reason() != Reason.UNAVAILABLE) {
                    throw e;
                }
                log.info("{} cannot be used with upstream {}: {}", scheme.name(), route.authority(), e.getMessage());
                unusable.add(scheme.name() + ": " + e.getMessage());
                notes.note(route, scheme.name(), "not usable: " + e.getMessage());
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
            return new Authorization(scheme, session, token);
        }
        if (creds.user().isEmpty() && unusable.stream().allMatch(u -> u.endsWith("no user configured"))) {
            throw noUser(route, offered);
        }
        throw new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority() + " offers "
                + String.join(", ", AuthSchemes.names(offered)) + "; "
                + (unusable.isEmpty() ? "none is among the schemes Gangway may use (" + String.join(", ", preference) + ")"
                : "none could be used: " + String.join("; ", unusable)));
    }

    private AuthenticationException rejected(CredentialGuard.Key key, AuthScheme scheme, AuthenticationException e) {
        String message = guard.rejected(key, scheme == null ? "-" : scheme.name());
        notes.note(key.route(), scheme == null ? "-" : scheme.name(), "rejected: " + e.getMessage());
        return new AuthenticationException(Reason.REJECTED, message, e);
    }

    private static AuthenticationException noUser(Route route, List<Challenge> offered) {
        return new AuthenticationException(Reason.UNAVAILABLE, "upstream " + route.authority()
                + " requires authentication (offers " + String.join(", ", AuthSchemes.names(offered))
                + ") but no user is configured for it: give the upstream as http://USER@host:port or set --user, "
                + "and the password in GANGWAY_PASSWORD or --password-file");
    }

    private interface TokenWork {
        Authorization call() throws AuthenticationException;
    }

    /**
     * Runs token work now, or on the blocking executor; the result is applied to the
     * connection's state and the future completed, both on the connection's loop.
     */
    private Future<String> run(UpstreamConnection conn, boolean blocking, TokenWork work) {
        EventLoop loop = conn.channel().eventLoop();
        Promise<String> promise = loop.newPromise();
        if (!blocking) {
            complete(conn, promise, work);
            return promise;
        }
        try {
            blockingExecutor.execute(() -> {
                Authorization result;
                try {
                    result = work.call();
                } catch (AuthenticationException | RuntimeException e) {
                    loop.execute(() -> promise.setFailure(wrap(e)));
                    return;
                }
                loop.execute(() -> {
                    conn.auth().apply(result);
                    tokenSent(conn, result);
                    promise.setSuccess(result.header());
                });
            });
        } catch (RejectedExecutionException e) {
            promise.setFailure(new AuthenticationException(Reason.UNAVAILABLE, "too many authentications in progress"));
        }
        return promise;
    }

    private void complete(UpstreamConnection conn, Promise<String> promise, TokenWork work) {
        try {
            Authorization result = work.call();
            conn.auth().apply(result);
            tokenSent(conn, result);
            promise.setSuccess(result.header());
        } catch (AuthenticationException | RuntimeException e) {
            promise.setFailure(wrap(e));
        }
    }

    private void tokenSent(UpstreamConnection conn, Authorization result) {
        if (result.scheme() != null) {
            notes.tokenSent(conn.route(), result.scheme().name());
        }
    }

    private static AuthenticationException wrap(Exception e) {
        return e instanceof AuthenticationException a ? a
                : new AuthenticationException(Reason.UNAVAILABLE, "authentication failed: " + e, e);
    }

    private static CredentialGuard.Key key(Route route, Credentials creds) {
        return new CredentialGuard.Key(route, creds.identity(), creds.secretFingerprint());
    }

    private AuthTarget target(Route route) {
        return new AuthTarget(route.host(), route.port(), canonicalizeHosts);
    }
}
