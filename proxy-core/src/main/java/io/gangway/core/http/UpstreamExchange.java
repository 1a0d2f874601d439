package io.gangway.core.http;

import io.gangway.auth.AuthRequest;
import io.gangway.auth.AuthenticationException;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.upstream.ConnectCallback;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamListener;
import io.gangway.routing.RoutePlan;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What plain requests and tunnels share: getting an upstream connection along the route plan,
 * the 407 loop on that connection (answer, consume the challenge's body, send again on the same
 * connection, or on a new one when the upstream closed it), and failing with a clear answer.
 */
abstract class UpstreamExchange implements Exchange, UpstreamListener, ConnectCallback {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    /** Connections one exchange may open: a 407 that closes the connection costs one. */
    private static final int MAX_CONNECTIONS = 4;

    final ProxyContext proxy;
    final ClientHandler client;
    final ChannelHandlerContext ctx;
    final RequestTarget target;
    final AccessLog.Entry entry;

    UpstreamConnection upstream;
    /** The request head went out on {@link #upstream}: body parts may follow it. */
    boolean requestSent;
    boolean finished;
    /** A 407 arrived: its body is being read, then the request goes again with this token. */
    boolean challengePending;
    /** The answer to a 407 is being made (maybe on another thread: Kerberos). */
    private boolean tokenPending;
    private String retryToken;
    private boolean retryOnNewConnection;
    private int connections;

    UpstreamExchange(ProxyContext proxy, ClientHandler client, ChannelHandlerContext ctx,
                     RequestTarget target, AccessLog.Entry entry) {
        this.proxy = proxy;
        this.client = client;
        this.ctx = ctx;
        this.target = target;
        this.entry = entry;
    }

    /** Writes the request (or the CONNECT) to {@link #upstream}, with this authorization. */
    abstract void send(String proxyAuthorization);

    /** Whether the client has seen a response head: after that, failing means closing. */
    abstract boolean responseStarted();

    /** Frees buffers held for the client or for replay. */
    abstract void releaseBuffers();

    /** Whether the request can be sent again on a new connection (its body, if any, was kept). */
    abstract boolean replayable();

    /** Whether the client connection may stay open after an error response. */
    abstract boolean keepClientAfterError();

    @Override
    public void start() {
        proxy.router().plan(target.target(), ctx.channel().eventLoop()).addListener(f -> {
            if (finished) {
                return; // the client went away while a PAC was asked
            }
            if (!f.isSuccess()) {
                fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.PROXY_CONFIGURATION_ERROR,
                        "no route to " + target.target().authority() + ": " + f.cause().getMessage());
                return;
            }
            RoutePlan plan = (RoutePlan) f.getNow();
            entry.route = plan;
            connect(plan);
        });
    }

    private void connect(RoutePlan plan) {
        connections++;
        proxy.connector().acquire(ctx.channel().eventLoop(), plan, target.target(), isTunnel(), this);
    }

    abstract boolean isTunnel();

    /** The request as an upstream proxy sees it, for schemes that sign it (Digest). */
    abstract AuthRequest authRequest();

    @Override
    public void onConnected(UpstreamConnection connection) {
        if (finished) {
            connection.close();
            return;
        }
        upstream = connection;
        requestSent = false; // until the token is made: body parts wait
        connection.attach(this);
        entry.route = connection.route();
        sendWithToken();
    }

    /** Makes the token for the next request on {@link #upstream} (maybe none), then sends. */
    final void sendWithToken() {
        UpstreamConnection connection = upstream;
        proxy.authenticator().tokenFor(connection, authRequest()).addListener(f -> {
            if (finished || upstream != connection) {
                return; // the exchange ended (client gone) while the token was made
            }
            if (f.isSuccess()) {
                send((String) f.getNow());
            } else {
                failAuthentication(f.cause());
            }
        });
    }

    @Override
    public void onFailed(String reasons, boolean timedOut) {
        fail(timedOut ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
                timedOut ? ProxyError.CONNECTION_TIMEOUT : ProxyError.DESTINATION_UNAVAILABLE,
                "could not reach " + target.target().authority() + " (" + proxy.router().describe() + "): " + reasons);
    }

    /**
     * What every upstream response head goes through first: a malformed head fails the
     * exchange, a 407 from a proxy enters the challenge loop. True when the head was handled here.
     */
    boolean failedOrChallenged(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR, upstream.route()
                    + " sent a malformed response: " + response.decoderResult().cause().getMessage());
            return true;
        }
        return onChallenge(response);
    }

    /**
     * Handles a 407 from an upstream proxy: true when it will be answered (its body is read, then
     * {@link #challengeConsumed()}, while the answer is made); false when the caller should treat
     * it as a plain response. Fails the exchange when there is no answer.
     */
    private boolean onChallenge(HttpResponse response) {
        if (response.status().code() != 407 || !upstream.route().isHttpProxy()) {
            return false;
        }
        challengePending = true;
        tokenPending = true;
        retryOnNewConnection = !HttpUtil.isKeepAlive(response);
        UpstreamConnection connection = upstream;
        proxy.authenticator().onChallenge(connection, response.headers(), authRequest()).addListener(f -> {
            tokenPending = false;
            if (finished || upstream != connection) {
                return;
            }
            if (!f.isSuccess()) {
                failAuthentication(f.cause());
                return;
            }
            retryToken = (String) f.getNow();
            if (!challengePending) {
                retryWhenReady();
            }
        });
        return true;
    }

    /** The 407's body is read; send again once the answer is made and the request side is ready. */
    void challengeConsumed() {
        challengePending = false;
        if (!tokenPending) {
            retryWhenReady();
        }
    }

    private void failAuthentication(Throwable cause) {
        fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.PROXY_CONFIGURATION_ERROR,
                cause instanceof AuthenticationException ? cause.getMessage() : "authentication failed: " + cause);
    }

    /** Called when both the challenge and the request are complete; overridden to wait for the body. */
    void retryWhenReady() {
        retry();
    }

    final void retry() {
        if (!replayable()) {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED, upstream.route()
                    + " asked for authentication, and the request body was too large to send again (replay-buffer is "
                    + proxy.config().replayBuffer() + " bytes)");
            return;
        }
        if (retryOnNewConnection || !upstream.isActive()) {
            reconnect("the upstream closed the connection after its challenge");
            return;
        }
        send(retryToken);
    }

    /** Drops the current upstream connection and opens a new one on the same route. */
    void reconnect(String why) {
        if (connections >= MAX_CONNECTIONS) {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED,
                    "gave up on " + upstream.route() + " after " + connections + " connections: " + why);
            return;
        }
        if (!replayable()) {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED,
                    why + ", and the request body was too large to send again (replay-buffer is "
                            + proxy.config().replayBuffer() + " bytes)");
            return;
        }
        UpstreamConnection old = upstream;
        old.close();
        upstream = null;
        retryOnNewConnection = false;
        challengePending = false;
        tokenPending = false;
        connect(new RoutePlan(List.of(old.route())));
    }

    /**
     * The upstream closed before the exchange was over. A pooled connection that the upstream
     * had closed while idle gets one retry on a fresh one, when nothing was answered yet.
     */
    @Override
    public void onUpstreamClosed() {
        if (finished) {
            return;
        }
        if (challengePending) {
            retryOnNewConnection = true;
            challengeConsumed();
        } else if (tokenPending) {
            retryOnNewConnection = true; // the answer, when made, goes on a new connection
        } else if (!responseStarted() && upstream.reused() && connections == 1) {
            reconnect("a pooled upstream connection was closed by the upstream");
        } else {
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED,
                    upstream.route() + " closed the connection " + (responseStarted() ? "in the middle of the response"
                            : "before answering"));
        }
    }

    @Override
    public void onUpstreamTimeout() {
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, ProxyError.HTTP_RESPONSE_TIMEOUT, upstream.route()
                + " sent nothing for " + proxy.config().responseTimeout().toSeconds() + "s (response-timeout)");
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR,
                "error on the connection to " + upstream.route() + ": " + cause.getMessage());
    }

    @Override
    public void onClientClosed() {
        if (finished) {
            return;
        }
        finished = true;
        if (entry.status.equals("-")) {
            entry.status = "client-closed";
        }
        releaseBuffers();
        if (upstream != null) {
            upstream.close();
        }
        proxy.accessLog().write(entry);
    }

    @Override
    public void onClientMalformed(String reason) {
        fail(HttpResponseStatus.BAD_REQUEST, ProxyError.HTTP_REQUEST_ERROR, reason);
    }

    /**
     * Ends the exchange with an error: a response to the client if none started (else the
     * client connection closes, which is how a truncated response is signalled), the upstream
     * connection closed, a log line with the reason.
     */
    void fail(HttpResponseStatus status, ProxyError error, String message) {
        if (finished) {
            return;
        }
        finished = true;
        releaseBuffers();
        if (upstream != null) {
            upstream.close();
        }
        boolean started = responseStarted();
        if (!started) {
            entry.status = String.valueOf(status.code());
        }
        if (upstream != null && upstream.route().isHttpProxy()) {
            entry.auth = UpstreamAuthenticator.schemeOf(upstream);
        }
        log.warn("{} {} {}: {} {}", entry.client, entry.method, entry.target,
                started ? "aborted:" : status.code(), message);
        proxy.accessLog().write(entry);
        if (started) {
            client.exchangeDone(false);
            return;
        }
        boolean keepAlive = keepClientAfterError();
        ctx.writeAndFlush(ErrorResponses.create(ctx.alloc(), status, error, message, keepAlive));
        client.exchangeDone(keepAlive);
    }
}
