package io.gangway.core.upstream;

import io.gangway.auth.AuthenticationException;
import io.gangway.routing.Route;
import io.gangway.routing.RoutePlan;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a route plan to an upstream connection that has taken the request, or a failure: it gets
 * a connection (pooled, or new through the route's TLS or SOCKS handshake), makes the
 * {@code Proxy-Authorization}, authenticates a connection with a body-less probe before a body
 * goes, answers 407s on the same connection (or a new one when the upstream closes it), and
 * sends a request again only when RFC 9110 9.2.2 allows it. It ends when the request's own
 * response head arrives: the exchange takes the connection from there.
 *
 * <pre>
 * CONNECTING ─► AUTHORIZING ─► SENT ──────────────► HANDED_OVER
 *      ▲             │  ▲        │ 407
 *      │             │  └─── CHALLENGED (its body is read; the answer is made next)
 *      │             └─► PROBING ─► PROBE_CHALLENGED ─► AUTHORIZING
 *      │                    └─────► PROBE_ACCEPTED ───► AUTHORIZING
 *      └── a new connection: the upstream closed this one after a challenge, or a reused
 *          connection closed before answering a request that may be sent again
 * </pre>
 * Every phase may end in FAILED. All of it runs on the client's event loop.
 */
public final class UpstreamFlow implements UpstreamListener, ConnectCallback {

    private static final Logger log = LoggerFactory.getLogger(UpstreamFlow.class);
    /** Connections one request may open: a 407 that closes the connection costs one. */
    private static final int MAX_CONNECTIONS = 4;

    private final ConnectionSource connector;
    private final UpstreamAuthenticator authenticator;
    private final EventLoop loop;
    private final RoutePlan plan;
    private final UpstreamRequest request;
    private final int replayBuffer;
    private final long responseTimeoutSeconds;

    private FlowPhase phase = FlowPhase.CONNECTING;
    private UpstreamConnection connection;
    private int connections;
    /** The 407 being answered: its Proxy-Authenticate fields. */
    private HttpHeaders challenge;
    /** Why the current connection cannot carry another message, once that is known; else null. */
    private String closing;
    /** Messages written on the current connection: after the first, the next may meet a close (a keep-alive race). */
    private int messages;
    /** The message out carries the answer to a 407 and has had no answer: its outcome is a login's. */
    private boolean credentialsUnanswered;
    /** The connection whose probe was answered: it is not probed again (a 407 to the request is answered instead). */
    private UpstreamConnection probed;
    /** The current connection was reset (an RST, not a FIN): the close that follows says so. */
    private boolean reset;
    /** What the plan's earlier routes did before the flow failed over from them; else null. */
    private String failedOver;

    public UpstreamFlow(ConnectionSource connector, UpstreamAuthenticator authenticator, EventLoop loop,
                        RoutePlan plan, UpstreamRequest request, int replayBuffer, long responseTimeoutSeconds) {
        this.connector = connector;
        this.authenticator = authenticator;
        this.loop = loop;
        this.plan = plan;
        this.request = request;
        this.replayBuffer = replayBuffer;
        this.responseTimeoutSeconds = responseTimeoutSeconds;
    }

    /** Starts connecting along the plan. */
    public void start() {
        acquire(plan, request.isTunnel() ? UpstreamConnector.Use.TUNNEL : UpstreamConnector.Use.REQUEST);
    }

    /** Whether body parts go to the upstream now: the request head is out and no 407 stopped it. */
    public boolean streamsBody() {
        return phase == FlowPhase.SENT;
    }

    /** The connection in use, or null before one is had. */
    public UpstreamConnection connection() {
        return connection;
    }

    /** The client went away: drop the connection in progress. */
    public void abort() {
        if (phase == FlowPhase.HANDED_OVER || phase == FlowPhase.FAILED) {
            return;
        }
        become(FlowPhase.FAILED);
        if (connection != null) {
            connection.close();
        }
    }

    FlowPhase phase() {
        return phase;
    }

    /** The one place the phase changes; an illegal step is a bug. */
    private void become(FlowPhase next) {
        if (!phase.allows(next)) {
            throw new IllegalStateException("upstream flow: " + phase + " -> " + next);
        }
        if (log.isTraceEnabled()) {
            log.trace("{} {}: {} -> {}", request.target().authority(), connection, phase, next);
        }
        phase = next;
    }

    private void acquire(RoutePlan routes, UpstreamConnector.Use use) {
        connections++;
        connector.acquire(loop, routes, request.target(), request.directTarget(), use, this);
    }

    @Override
    public void onConnected(UpstreamConnection conn) {
        if (phase != FlowPhase.CONNECTING) {
            conn.close(); // the client went away while connecting
            return;
        }
        connection = conn;
        closing = null;
        reset = false;
        messages = 0;
        conn.startExchange(this);
        if (request.isTunnel() && !conn.route().isHttpProxy()) {
            become(FlowPhase.HANDED_OVER);
            conn.handOver(null);
            request.onTunnel(conn);
            return;
        }
        authorize();
    }

    @Override
    public void onFailed(String reasons, boolean timedOut) {
        if (phase == FlowPhase.CONNECTING) {
            fail(timedOut ? UpstreamFailure.Kind.CONNECT_TIMEOUT : UpstreamFailure.Kind.UNREACHABLE, reasons);
        }
    }

    @Override
    public void onRefused(String reason) {
        if (phase == FlowPhase.CONNECTING) {
            fail(UpstreamFailure.Kind.REFUSED, reason);
        }
    }

    @Override
    public void onProhibited(String reason) {
        if (phase == FlowPhase.CONNECTING) {
            fail(UpstreamFailure.Kind.PROHIBITED, reason);
        }
    }

    /** Makes the authorization for the next message: the answer to a 407 if one is pending, else a preemptive one. */
    private void authorize() {
        become(FlowPhase.AUTHORIZING);
        UpstreamConnection conn = connection;
        boolean answering = challenge != null;
        Future<String> token = answering
                ? authenticator.answer(conn, challenge, request.authRequest())
                : authenticator.authorize(conn, request.authRequest());
        challenge = null;
        token.addListener(f -> {
            if (phase != FlowPhase.AUTHORIZING || connection != conn) {
                return; // the flow ended while the token was made
            }
            if (!f.isSuccess()) {
                fail(UpstreamFailure.Kind.AUTHENTICATION, f.cause() instanceof AuthenticationException
                        ? f.cause().getMessage() : "authentication failed: " + f.cause());
            } else if (!request.replayable()) {
                // Checked after the answer was made: even then the challenge taught the scheme.
                fail(UpstreamFailure.Kind.NOT_REPLAYABLE, conn.route() + " asked for authentication, and the request "
                        + "body was too large to send again (replay-buffer is " + replayBuffer + " bytes)");
            } else if (closing != null || !conn.isActive()) {
                reconnect(UpstreamConnector.Use.REQUEST, closing != null ? closing
                        : "the upstream closed the connection before the request went out");
            } else {
                String authorization = (String) f.getNow();
                credentialsUnanswered = answering && authorization != null;
                send(authorization);
            }
        });
    }

    private void send(String authorization) {
        messages++;
        if (request.hasBody() && probed != connection && authenticator.probeFirst(connection, authorization)) {
            become(FlowPhase.PROBING);
            HttpRequest probe = request.probe();
            if (authorization != null) {
                probe.headers().set("Proxy-Authorization", authorization);
            }
            log.debug("probe {} on {}", request.target().authority(), connection);
            connection.channel().writeAndFlush(probe);
            return;
        }
        become(FlowPhase.SENT);
        // Copies are kept while a 407 may come (even on an authenticated connection: a proxy may
        // ask again when its session ends) or the connection may have been closed under us.
        boolean keepCopies = authenticator.mayBeChallenged(connection) || connection.reused();
        request.write(connection, authorization, keepCopies);
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (msg instanceof HttpResponse head) {
            onHead(head);
        } else if (msg instanceof HttpContent content) {
            onContent(content);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHead(HttpResponse head) {
        credentialsUnanswered = false;
        if (phase != FlowPhase.PROBING && phase != FlowPhase.SENT) {
            fail(UpstreamFailure.Kind.PROTOCOL, connection.peer() + " sent a response that nothing asked for");
            return;
        }
        if (head.decoderResult().isFailure()) {
            UpstreamFailure broken = UpstreamFailure.ofBrokenHead(connection.peer(), head);
            fail(broken.kind(), broken.message());
            return;
        }
        int code = head.status().code();
        if (code == 407 && connection.route().isHttpProxy()) {
            challenge = head.headers();
            if (!HttpUtil.isKeepAlive(head)) {
                closing = "the upstream closed the connection after its challenge";
            } else if (phase == FlowPhase.SENT && !request.bodyComplete()) {
                // The rest of the body cannot follow on this connection (the proxy stopped
                // reading it): the request goes again on a new one, its body replayed.
                closing = "the upstream answered 407 before the request body was complete";
            }
            become(phase == FlowPhase.PROBING ? FlowPhase.PROBE_CHALLENGED : FlowPhase.CHALLENGED);
            return;
        }
        if (code >= 100 && code < 200 && code != 101) {
            if (phase == FlowPhase.SENT) {
                request.onInformational(head);
            }
            return; // its end follows, then the final response
        }
        authenticator.accepted(connection);
        if (phase == FlowPhase.PROBING) {
            if (!HttpUtil.isKeepAlive(head)) {
                closing = "the upstream closed the connection after authenticating it";
            }
            probed = connection;
            become(FlowPhase.PROBE_ACCEPTED);
            return;
        }
        become(FlowPhase.HANDED_OVER);
        connection.handOver(null);
        request.onResponse(connection, head);
    }

    private void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        boolean broken = content.decoderResult().isFailure();
        content.release();
        switch (phase) {
            case PROBE_CHALLENGED, CHALLENGED, PROBE_ACCEPTED -> {
                if (broken) {
                    closing = "the upstream sent a malformed body with its answer";
                }
                if (last || broken) {
                    bodyRead();
                }
            }
            default -> {
                // the end of a 1xx, or what a closing upstream still sent
            }
        }
    }

    /** The body of a 407 or of the probe's answer is read: the next message's authorization is made. */
    private void bodyRead() {
        authorize();
    }

    @Override
    public void onUpstreamClosed() {
        switch (phase) {
            case AUTHORIZING -> closing = closing != null ? closing : "the upstream closed the connection";
            case PROBE_CHALLENGED, CHALLENGED, PROBE_ACCEPTED -> {
                closing = closing != null ? closing : "the upstream closed the connection after answering";
                bodyRead();
            }
            case PROBING -> closedBeforeAnswer(true, false);
            case SENT -> closedBeforeAnswer(request.idempotent() && request.replayable(), true);
            default -> {
                // not this flow's connection any more
            }
        }
    }

    /**
     * The upstream closed (or reset) a connection before answering. Only a connection that
     * carried a message before (pooled, or the one a 407 came on) gets another try: a server may
     * close an idle connection just as a message is written on it. Once, and only for a request
     * that may go again: a POST may have been applied.
     *
     * @param requestWentOut the request itself was out, not only the probe
     */
    private void closedBeforeAnswer(boolean mayGoAgain, boolean requestWentOut) {
        Route route = connection.route();
        String peer = connection.peer();
        if (credentialsUnanswered) {
            // Sending them again could cost another failed login at the domain controller.
            authenticator.closedAfterCredentials(connection);
            fail(UpstreamFailure.Kind.CLOSED, route + " closed the connection after receiving the credentials, before "
                    + "answering; they are not sent again, as the upstream may have counted a failed login");
            return;
        }
        boolean carriedOne = connection.reused() || messages > 1;
        String verb = reset ? "reset" : "closed";
        if (carriedOne && connections == 1 && mayGoAgain) {
            log.debug("{} {} a connection that had carried a message before answering; trying a new one", route, verb);
            reconnect(UpstreamConnector.Use.RETRY, "a pooled upstream connection was " + verb + " by the upstream");
        } else if (carriedOne && requestWentOut && !request.idempotent()) {
            fail(UpstreamFailure.Kind.CLOSED, peer + " " + verb + " a reused connection before answering; the request is "
                    + "not sent again automatically, as it may have been applied (RFC 9110 9.2.2)");
        } else if (!mayGoAgain || !failOver(peer + " " + verb + " the connection before answering")) {
            fail(UpstreamFailure.Kind.CLOSED, peer + " " + verb + " the connection before answering"
                    + (reset ? " (TCP RST)" : ""));
        }
    }

    /**
     * Goes on with the plan's next route, when there is one, after this connection's failed
     * before any answer; the caller checked that the request may go again (it did not go out,
     * or it is idempotent). The route is tried last for a while, as one that failed to connect is.
     *
     * @return false when the plan has no route after this one
     */
    private boolean failOver(String why) {
        Route route = connection.route();
        List<Route> routes = plan.routes();
        int at = routes.indexOf(route);
        if (at < 0 || at + 1 >= routes.size() || !request.replayable()) {
            return false;
        }
        log.info("{}; trying the next route of the plan", why);
        connector.routeFailed(route, why);
        failedOver = (failedOver == null ? "" : failedOver + "; ") + why;
        connectAgain(new RoutePlan(routes.subList(at + 1, routes.size())), UpstreamConnector.Use.REQUEST);
        return true;
    }

    /** Drops the current connection and goes on with a new one on the same route. */
    private void reconnect(UpstreamConnector.Use use, String why) {
        Route route = connection.route();
        if (connections >= MAX_CONNECTIONS) {
            fail(UpstreamFailure.Kind.CLOSED, "gave up on " + route + " after " + connections + " connections: " + why);
            return;
        }
        if (!request.replayable()) {
            fail(UpstreamFailure.Kind.NOT_REPLAYABLE, why + ", and the request body was too large to send again (replay-buffer is "
                    + replayBuffer + " bytes)");
            return;
        }
        connectAgain(new RoutePlan(List.of(route)), use);
    }

    /** Drops the current connection and starts again along {@code next}. */
    private void connectAgain(RoutePlan next, UpstreamConnector.Use use) {
        connection.close();
        connection = null;
        challenge = null;
        become(FlowPhase.CONNECTING);
        acquire(next, use);
    }

    @Override
    public void onUpstreamTimeout() {
        if (phase == FlowPhase.CONNECTING) {
            return;
        }
        String why = phase == FlowPhase.AUTHORIZING
                // the upstream is not the one silent: the token is still being made on the auth pool
                ? "no Proxy-Authorization for " + connection.peer() + " could be made within " + responseTimeoutSeconds
                        + "s (response-timeout): a Kerberos login may be waiting for a KDC that does not answer"
                : connection.peer() + " sent nothing for " + responseTimeoutSeconds + "s (response-timeout)";
        // only what no one answered may go elsewhere: the probe, or an idempotent request
        boolean mayGoAgain = phase == FlowPhase.PROBING || phase == FlowPhase.SENT && request.idempotent();
        if (!mayGoAgain || credentialsUnanswered || !failOver(why)) {
            fail(UpstreamFailure.Kind.RESPONSE_TIMEOUT, why);
        }
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (cause instanceof IOException) {
            reset = true; // an RST (the transport's words vary): the close that follows decides, and names it
            return;
        }
        fail(UpstreamFailure.Kind.PROTOCOL, "error on the connection to " + connection.peer() + ": " + cause.getMessage());
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        request.onUpstreamWritabilityChanged();
    }

    private void fail(UpstreamFailure.Kind kind, String message) {
        if (phase == FlowPhase.HANDED_OVER || phase == FlowPhase.FAILED) {
            return;
        }
        become(FlowPhase.FAILED);
        if (connection != null) {
            connection.close();
        }
        request.onFailure(new UpstreamFailure(kind, failedOver == null ? message : failedOver + "; then " + message));
    }
}
