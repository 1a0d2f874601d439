package io.gangway.core.http;

import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.policy.Denial;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.gangway.core.upstream.UpstreamConnection;
import io.gangway.core.upstream.UpstreamFailure;
import io.gangway.core.upstream.UpstreamFlow;
import io.gangway.core.upstream.UpstreamRequest;
import io.gangway.core.upstream.UpstreamListener;
import io.gangway.routing.RoutePlan;
import io.gangway.routing.Target;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What plain requests and tunnels share: the route plan, an {@link UpstreamFlow} that gets the
 * request taken by an upstream, the connection once the flow hands it over, and failing with a
 * clear answer. Subclasses stream (plain requests) or relay (tunnels).
 */
abstract class UpstreamExchange implements Exchange, UpstreamRequest, UpstreamListener {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    /** Where an exchange stands. */
    enum Phase {
        /** The route plan is being made (maybe by a PAC, off the loop). */
        ROUTING,
        /** The flow is getting the request taken by an upstream. */
        REQUESTING,
        /** The response streams to the client (or, for a refused tunnel, its body is read). */
        RESPONDING,
        /** A 2xx to CONNECT, or a 101: once its end has come, both sides become a relay. */
        UPGRADING,
        /** Raw bytes both ways; the relay owns both connections. */
        RELAYING,
        /** Over: completed, failed, or the client went away. */
        DONE
    }

    private static final Map<Phase, Set<Phase>> NEXT = new EnumMap<>(Phase.class);

    static {
        NEXT.put(Phase.ROUTING, EnumSet.of(Phase.REQUESTING, Phase.DONE));
        NEXT.put(Phase.REQUESTING, EnumSet.of(Phase.RESPONDING, Phase.UPGRADING, Phase.RELAYING, Phase.DONE));
        NEXT.put(Phase.RESPONDING, EnumSet.of(Phase.DONE));
        NEXT.put(Phase.UPGRADING, EnumSet.of(Phase.RELAYING, Phase.DONE));
        NEXT.put(Phase.RELAYING, EnumSet.of(Phase.DONE));
        NEXT.put(Phase.DONE, EnumSet.noneOf(Phase.class));
    }

    final ProxyContext proxy;
    final ClientSide client;
    final ChannelHandlerContext ctx;
    final RequestTarget target;
    final AccessLog.Entry entry;
    private Phase phase = Phase.ROUTING;
    UpstreamFlow flow;
    /** The connection, once the flow has handed it over. */
    UpstreamConnection upstream;

    UpstreamExchange(ProxyContext proxy, ClientSide client, ChannelHandlerContext ctx,
                     RequestTarget target, AccessLog.Entry entry) {
        this.proxy = proxy;
        this.client = client;
        this.ctx = ctx;
        this.target = target;
        this.entry = entry;
    }

    /** Whether the client has seen a response head: after that, failing means closing. */
    abstract boolean responseStarted();

    /** Frees buffers held for the client or for replay. */
    abstract void releaseBuffers();

    /** Whether the client connection may stay open after an error response. */
    abstract boolean keepClientAfterError();

    /** The one place the phase changes; an illegal step is a bug. */
    final void become(Phase next) {
        if (!NEXT.get(phase).contains(next)) {
            throw new IllegalStateException("exchange: " + phase + " -> " + next);
        }
        phase = next;
    }

    final Phase phase() {
        return phase;
    }

    final boolean over() {
        return phase == Phase.DONE;
    }

    @Override
    public final Target target() {
        return target.target();
    }

    @Override
    public final Target directTarget() {
        return target.direct();
    }

    @Override
    public void start() {
        // Before routing: whatever the route, Gangway does not have an upstream reach what it would refuse itself.
        Denial denial = proxy.destinations().checkRequest(target.target(), target.direct(), isTunnel() && !client.redirected());
        if (denial != null) {
            fail(HttpResponseStatus.FORBIDDEN, denial.addressProhibited() ? ProxyError.DESTINATION_IP_PROHIBITED
                    : ProxyError.HTTP_REQUEST_DENIED, denial.message());
            return;
        }
        proxy.router().plan(target.target(), ctx.channel().eventLoop()).addListener(f -> {
            if (over()) {
                return; // the client went away while a PAC was asked
            }
            if (!f.isSuccess()) {
                fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.PROXY_CONFIGURATION_ERROR,
                        "no route to " + target.target().authority() + ": " + f.cause().getMessage());
                return;
            }
            RoutePlan plan = (RoutePlan) f.getNow();
            entry.plan = plan;
            proxy.stats().telemetry().routeDecided(proxy.profile(), proxy.config().profile(proxy.profile()).route().mode());
            become(Phase.REQUESTING);
            flow = new UpstreamFlow(proxy.connector(), proxy.authenticator(), ctx.channel().eventLoop(), plan, this,
                    proxy.config().limits().replayBuffer(), proxy.config().timeouts().response().toSeconds());
            flow.start();
        });
    }

    /** The flow handed the connection over: from now on its events come here. */
    final void takeOver(UpstreamConnection connection) {
        upstream = connection;
        connection.handOver(this);
        entry.route = connection.route();
        if (connection.route().isHttpProxy()) {
            entry.auth = UpstreamAuthenticator.schemeOf(connection);
        }
    }

    @Override
    public void onFailure(UpstreamFailure failure) {
        String message = failure.message();
        switch (failure.kind()) {
            case UNREACHABLE -> fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.DESTINATION_UNAVAILABLE, unreachable(message));
            case REFUSED -> fail(HttpResponseStatus.FORBIDDEN, ProxyError.HTTP_REQUEST_DENIED, message);
            case PROHIBITED -> fail(HttpResponseStatus.FORBIDDEN, ProxyError.DESTINATION_IP_PROHIBITED, message);
            case CONNECT_TIMEOUT -> fail(HttpResponseStatus.GATEWAY_TIMEOUT, ProxyError.CONNECTION_TIMEOUT, unreachable(message));
            case AUTHENTICATION -> fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.PROXY_CONFIGURATION_ERROR, message);
            case CLOSED, NOT_REPLAYABLE -> fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED, message);
            case RESPONSE_TIMEOUT -> fail(HttpResponseStatus.GATEWAY_TIMEOUT, ProxyError.HTTP_RESPONSE_TIMEOUT, message);
            case PROTOCOL -> fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR, message);
            case HEAD_TOO_LARGE -> fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_RESPONSE_HEADER_SECTION_SIZE, message);
            default -> throw new IllegalStateException(failure.kind().toString());
        }
    }

    private String unreachable(String reasons) {
        return "could not reach " + target.target().authority() + " (" + proxy.router().describe() + "): " + reasons;
    }

    /** The upstream closed after handing over: in the middle of a response. */
    @Override
    public void onUpstreamClosed() {
        fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED,
                upstream.peer() + " closed the connection in the middle of the response");
    }

    @Override
    public void onUpstreamTimeout() {
        fail(HttpResponseStatus.GATEWAY_TIMEOUT, ProxyError.HTTP_RESPONSE_TIMEOUT, upstream.peer()
                + " sent nothing for " + proxy.config().timeouts().response().toSeconds() + "s (response-timeout)");
    }

    @Override
    public void onUpstreamError(Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // a reset (the transport's words for it vary: epoll's name a system call)
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.CONNECTION_TERMINATED,
                    upstream.peer() + " reset the connection (TCP RST) in the middle of the response");
            return;
        }
        fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR,
                "error on the connection to " + upstream.peer() + ": " + cause.getMessage());
    }

    @Override
    public void onClientClosed() {
        if (over()) {
            return;
        }
        become(Phase.DONE);
        if (entry.status.equals("-")) {
            entry.status = "client-closed";
        }
        releaseBuffers();
        dropUpstream();
        proxy.accessLog().write(entry);
    }

    @Override
    public void onClientMalformed(String reason) {
        fail(HttpResponseStatus.BAD_REQUEST, ProxyError.HTTP_REQUEST_ERROR, reason);
    }

    private void dropUpstream() {
        if (flow != null) {
            flow.abort();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    /**
     * Ends the exchange with an error: a response to the client if none started (else the
     * client connection closes, which is how a truncated response is signalled), the upstream
     * connection closed, a log line with the reason.
     */
    final void fail(HttpResponseStatus status, ProxyError error, String message) {
        if (over()) {
            return;
        }
        boolean started = responseStarted();
        become(Phase.DONE);
        releaseBuffers();
        UpstreamConnection connection = upstream != null ? upstream : flow != null ? flow.connection() : null;
        if (connection != null) {
            entry.route = connection.route();
            if (connection.route().isHttpProxy()) {
                entry.auth = UpstreamAuthenticator.schemeOf(connection);
            }
        }
        dropUpstream();
        if (!started) {
            entry.status = String.valueOf(status.code());
        }
        log.warn("{} {} {}: {} {}", entry.client, entry.method, entry.target, started ? "aborted:" : status.code(), message);
        proxy.stats().telemetry().failed(error.token, entry.client, entry.target, message);
        proxy.accessLog().write(entry);
        if (started) {
            client.exchangeDone(false);
            return;
        }
        client.failed(status, error, message, keepClientAfterError());
    }
}
