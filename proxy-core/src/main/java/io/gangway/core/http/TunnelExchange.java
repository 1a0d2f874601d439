package io.gangway.core.http;

import io.gangway.auth.AuthRequest;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A tunnel: an explicit client's CONNECT, or a redirected connection. DIRECT or SOCKS, the
 * connection the flow made to the target; through an HTTP proxy, a CONNECT that the flow gets
 * accepted (answering its 407s). After the 2xx an explicit client gets its {@code 200 Connection
 * established}, and both sides become a raw relay.
 */
final class TunnelExchange extends UpstreamExchange {

    /** Bytes the client sent before the tunnel was up (a TLS ClientHello sent eagerly). */
    private final List<ByteBuf> fromClient = new ArrayList<>();
    /** Bytes the upstream sent right after its 2xx (a server that speaks first, like SSH). */
    private final List<ByteBuf> fromUpstream = new ArrayList<>();
    /** The status line of a refusal, while its body is read. */
    private String refusal;

    TunnelExchange(ProxyContext proxy, ClientSide client, ChannelHandlerContext ctx,
                   RequestTarget target, AccessLog.Entry entry) {
        super(proxy, client, ctx, target, entry);
    }

    @Override
    public boolean isTunnel() {
        return true;
    }

    @Override
    public AuthRequest authRequest() {
        return new AuthRequest("CONNECT", target.target().authority());
    }

    @Override
    public boolean hasBody() {
        return false;
    }

    @Override
    public boolean bodyComplete() {
        return true;
    }

    /** Nothing is applied before a CONNECT is answered: it may always go again. */
    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public boolean replayable() {
        return true;
    }

    @Override
    public void write(UpstreamConnection connection, String authorization, boolean keepCopies) {
        FullHttpRequest connect = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT,
                target.target().authority());
        connect.headers().set(HttpHeadersPolicy.HOST, target.target().authority());
        if (authorization != null) {
            connect.headers().set(HttpHeadersPolicy.PROXY_AUTHORIZATION, authorization);
        }
        connection.channel().writeAndFlush(connect);
    }

    @Override
    public HttpRequest probe() {
        throw new IllegalStateException("a CONNECT has no body to probe for");
    }

    @Override
    public void onInformational(HttpResponse head) {
    }

    @Override
    public void onTunnel(UpstreamConnection connection) {
        takeOver(connection);
        establish();
    }

    @Override
    public void onResponse(UpstreamConnection connection, HttpResponse head) {
        takeOver(connection);
        int code = head.status().code();
        if (code >= 200 && code < 300) {
            become(Phase.UPGRADING); // established at the end of the head
        } else {
            refusal = head.status().toString();
            become(Phase.RESPONDING);
        }
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (over()) {
            ReferenceCountUtil.release(msg);
        } else if (msg instanceof HttpContent content) {
            content.release();
            if (content instanceof LastHttpContent) {
                if (phase() == Phase.UPGRADING) {
                    establish();
                } else {
                    refused();
                }
            }
        } else if (msg instanceof ByteBuf bytes && phase() == Phase.UPGRADING) {
            fromUpstream.add(bytes);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The upstream refused the tunnel (403 by policy, 503...): pass its status on, with our reason. */
    private void refused() {
        HttpResponseStatus status = HttpResponseStatus.parseLine(refusal);
        fail(status, ProxyError.DESTINATION_UNAVAILABLE, upstream.route() + " answered CONNECT "
                + target.target().authority() + " with " + refusal);
    }

    private void establish() {
        become(Phase.RELAYING);
        entry.status = "200";
        client.tunnelUp();
        client.relay(upstream, fromClient, fromUpstream, relay -> {
            entry.bytesIn = relay.clientToUpstream();
            entry.bytesOut = relay.upstreamToClient();
            proxy.accessLog().write(entry);
        });
        fromClient.clear();
        fromUpstream.clear();
    }

    @Override
    public void onClientBytes(ByteBuf bytes) {
        if (over()) {
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
    public boolean requestComplete() {
        return false; // a tunnel's bytes have no end of request: its client ending before the relay is up is its going away
    }

    @Override
    public void onClientWritabilityChanged() {
    }

    @Override
    public void onUpstreamWritabilityChanged() {
    }

    @Override
    boolean responseStarted() {
        return phase() == Phase.RELAYING;
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
