package io.gangway.core.http;

import io.gangway.auth.AuthRequest;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A CONNECT tunnel: DIRECT, a TCP connection to the target; through a proxy, a CONNECT on an
 * upstream connection, answering its 407s on that same connection. After the 2xx the client gets
 * its {@code 200 Connection established} and both sides become a raw relay.
 */
final class TunnelExchange extends UpstreamExchange {

    private static final HttpResponseStatus ESTABLISHED = new HttpResponseStatus(200, "Connection established");

    /** Bytes the client sent before the tunnel was up (a TLS ClientHello sent eagerly). */
    private final List<ByteBuf> fromClient = new ArrayList<>();
    /** Bytes the upstream sent right after its 2xx (a server that speaks first, like SSH). */
    private final List<ByteBuf> fromUpstream = new ArrayList<>();
    private boolean accepted;
    private boolean established;
    private String upstreamStatus;

    TunnelExchange(ProxyContext proxy, ClientHandler client, ChannelHandlerContext ctx,
                   RequestTarget target, AccessLog.Entry entry) {
        super(proxy, client, ctx, target, entry);
    }

    @Override
    boolean isTunnel() {
        return true;
    }

    @Override
    AuthRequest authRequest() {
        return new AuthRequest("CONNECT", target.target().authority());
    }

    @Override
    void send(String proxyAuthorization) {
        if (!upstream.route().isHttpProxy()) { // DIRECT, or SOCKS: already connected to the target
            establish();
            return;
        }
        FullHttpRequest connect = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT,
                target.target().authority());
        connect.headers().set(HttpHeadersPolicy.HOST, target.target().authority());
        if (proxyAuthorization != null) {
            connect.headers().set(HttpHeadersPolicy.PROXY_AUTHORIZATION, proxyAuthorization);
        }
        upstream.channel().writeAndFlush(connect);
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (finished) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            onResponseHead(response);
        } else if (msg instanceof HttpContent content) {
            content.release();
            if (content instanceof LastHttpContent) {
                if (challengePending) {
                    challengeConsumed();
                } else if (accepted) {
                    establish();
                } else if (upstreamStatus != null) {
                    refused();
                }
            }
        } else if (msg instanceof ByteBuf bytes && accepted) {
            fromUpstream.add(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(HttpResponse response) {
        if (failedOrChallenged(response)) {
            return;
        }
        int code = response.status().code();
        if (code >= 200 && code < 300) {
            proxy.authenticator().onAccepted(upstream);
            entry.auth = UpstreamAuthenticator.schemeOf(upstream);
            accepted = true;
        } else {
            upstreamStatus = response.status().toString();
        }
    }

    /** The upstream refused the tunnel (403 by policy, 503...): pass its status on, with our reason. */
    private void refused() {
        HttpResponseStatus status = HttpResponseStatus.parseLine(upstreamStatus);
        fail(status, ProxyError.DESTINATION_UNAVAILABLE, upstream.route() + " answered CONNECT "
                + target.target().authority() + " with " + upstreamStatus);
    }

    private void establish() {
        established = true;
        finished = true;
        entry.status = "200";
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, ESTABLISHED));
        ClientHandlerSwitch.toRelay(ctx, client, upstream, fromClient, fromUpstream, relay -> {
            entry.bytesIn = relay.clientToUpstream();
            entry.bytesOut = relay.upstreamToClient();
            proxy.accessLog().write(entry);
        });
        fromClient.clear();
        fromUpstream.clear();
    }

    @Override
    public void onClientBytes(ByteBuf bytes) {
        if (finished) {
            bytes.release();
        } else {
            fromClient.add(bytes);
        }
    }

    @Override
    public void onClientContent(HttpContent content) {
        content.release(); // the empty end of the CONNECT request
    }

    @Override
    public boolean wantsClientData() {
        return false; // until the relay takes over
    }

    @Override
    public void onClientWritabilityChanged() {
    }

    @Override
    public void onUpstreamWritabilityChanged() {
    }

    @Override
    boolean responseStarted() {
        return established;
    }

    @Override
    boolean replayable() {
        return true; // a CONNECT has no body
    }

    @Override
    boolean keepClientAfterError() {
        return false; // the client may already have sent tunnel bytes
    }

    @Override
    void releaseBuffers() {
        for (ByteBuf b : fromClient) {
            b.release();
        }
        fromClient.clear();
        for (ByteBuf b : fromUpstream) {
            b.release();
        }
        fromUpstream.clear();
    }
}
