package io.gangway.core.http;

import io.gangway.auth.AuthRequest;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One plain HTTP request through the proxy: the head rewritten for the route (absolute form to a
 * proxy, origin form to an origin), the request body streamed (and kept for a replay while one
 * may be needed, see {@link RequestBody}), the response relayed with back-pressure. The two
 * connections keep their own lifetimes: each side's {@code Connection} header and framing
 * decide whether that side's connection is kept, never the other's. A {@code 101 Switching
 * Protocols} turns the exchange into a raw relay.
 */
final class ForwardExchange extends UpstreamExchange {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ForwardExchange.class);
    /** Methods that may be sent again after a connection failure (RFC 9110 9.2.2, as Go's Transport). */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.TRACE);

    private final HttpRequest request;
    private final HttpHeaders outboundHeaders;
    private final boolean upgrade;
    private final boolean hasBody;
    private final boolean idempotent;
    private final RequestBody body;
    /** Whether the client's connection is kept after this exchange; the response's framing may still end it. */
    private boolean clientKeepAlive;
    /** Whether the upstream connection may carry another request, as its response head said. */
    private boolean upstreamKeepAlive;
    private final List<ByteBuf> earlyUpstreamBytes = new ArrayList<>();

    ForwardExchange(ProxyContext proxy, ClientSide client, ChannelHandlerContext ctx,
                    HttpRequest request, RequestTarget target, AccessLog.Entry entry) {
        super(proxy, client, ctx, target, entry);
        this.request = request;
        this.upgrade = HttpHeadersPolicy.isUpgrade(request.headers());
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        this.body = new RequestBody(proxy.config().limits().replayBuffer());
        // The request is this exchange's own: its headers become the outbound ones in place
        // (the client's keep-alive was read above, before its Connection header goes).
        HttpHeaders headers = request.headers();
        HttpHeadersPolicy.stripHopByHop(headers, upgrade);
        headers.set(HttpHeadersPolicy.HOST, target.hostHeader());
        HttpHeadersPolicy.addVia(headers);
        this.outboundHeaders = headers;
        // From what goes out: a key named as a connection option is gone, and says nothing to the origin.
        this.idempotent = IDEMPOTENT.contains(request.method()) || headers.contains("Idempotency-Key")
                || headers.contains("X-Idempotency-Key");
    }

    @Override
    public boolean isTunnel() {
        return false;
    }

    @Override
    public AuthRequest authRequest() {
        return new AuthRequest(request.method().name(), target.absoluteForm());
    }

    @Override
    public boolean hasBody() {
        return hasBody;
    }

    @Override
    public boolean bodyComplete() {
        return body.complete();
    }

    @Override
    public boolean idempotent() {
        return idempotent;
    }

    @Override
    public boolean replayable() {
        return body.replayable();
    }

    @Override
    public void write(UpstreamConnection connection, String authorization, boolean keepCopies) {
        if (log.isDebugEnabled()) {
            log.debug("{} {} to {} (authorization: {})", request.method(), target.forLog(), connection,
                    authorization == null ? "none" : authorization.split(" ")[0]);
        }
        // The same headers serve every attempt: only the authorization changes. The encoder has
        // copied them into bytes by the time write() returns (we are on the channel's loop).
        HttpHeaders headers = outboundHeaders;
        if (authorization != null) {
            headers.set(HttpHeadersPolicy.PROXY_AUTHORIZATION, authorization);
        } else {
            headers.remove(HttpHeadersPolicy.PROXY_AUTHORIZATION);
        }
        String uri = connection.route().isHttpProxy() ? target.absoluteForm() : target.originForm();
        connection.channel().write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, headers));
        body.writeTo(connection.channel(), keepCopies);
        connection.channel().flush();
        client.updateReading();
    }

    /**
     * A body-less {@code OPTIONS} for the same URL (a safe method, harmless to the origin) that
     * authenticates the connection before the real request: a proxy that answers 407 to a
     * request stops reading its body, and a large body could neither be sent nor replayed.
     * (Not HEAD: some proxies put a body on their 407 to a HEAD, which breaks the framing.)
     */
    @Override
    public HttpRequest probe() {
        DefaultFullHttpRequest probe = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, target.absoluteForm());
        probe.headers().set(HttpHeadersPolicy.HOST, target.hostHeader());
        if (request.headers().contains(HttpHeaderNames.USER_AGENT)) {
            probe.headers().set(HttpHeaderNames.USER_AGENT, request.headers().get(HttpHeaderNames.USER_AGENT));
        }
        HttpHeadersPolicy.addVia(probe.headers());
        probe.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return probe;
    }

    @Override
    public void onTunnel(UpstreamConnection connection) {
        throw new IllegalStateException("a plain request is not a tunnel");
    }

    @Override
    public void onClientContent(HttpContent content) {
        if (over()) {
            content.release();
            return;
        }
        entry.bytesIn += content.content().readableBytes();
        UpstreamConnection to = phase() == Phase.RESPONDING ? upstream
                : phase() == Phase.REQUESTING && flow.streamsBody() ? flow.connection() : null;
        body.add(content, to == null ? null : to.channel());
        if (to != null) {
            to.channel().flush();
        }
        client.updateReading();
    }

    @Override
    public boolean requestComplete() {
        return body.complete();
    }

    @Override
    public boolean wantsClientData() {
        if (body.complete()) {
            return false;
        }
        return switch (phase()) {
            case REQUESTING -> flow.streamsBody() && flow.connection().channel().isWritable();
            case RESPONDING -> upstream.channel().isWritable();
            default -> false;
        };
    }

    /**
     * A 1xx is passed on (RFC 9110 15.2: a proxy MUST forward 1xx responses it did not ask for),
     * except to an HTTP/1.0 client, which may not be sent any. A full message, so that the
     * encoder is ready for the final response head.
     */
    @Override
    public void onInformational(HttpResponse head) {
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            return;
        }
        HttpHeaders headers = head.headers();
        HttpHeadersPolicy.stripHopByHop(headers, false);
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, head.status(), Unpooled.EMPTY_BUFFER,
                headers, EmptyHttpHeaders.INSTANCE));
    }

    @Override
    public void onResponse(UpstreamConnection connection, HttpResponse response) {
        proxy.stats().telemetry().firstByte(System.nanoTime() - entry.startNanos);
        takeOver(connection);
        body.dropCopies();
        int code = response.status().code();
        // Read before the head is rewritten for the client: the upstream's own say on its connection.
        upstreamKeepAlive = HttpUtil.isKeepAlive(response);
        entry.status = String.valueOf(code);
        become(code == 101 && upgrade ? Phase.UPGRADING : Phase.RESPONDING);
        ctx.write(clientHead(response));
    }

    /** The response head as the client gets it: hop-by-hop headers gone, framing fit for its version. */
    private HttpResponse clientHead(HttpResponse response) {
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        int code = response.status().code();
        boolean noBody = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        boolean framed = noBody || chunked || HttpUtil.isContentLengthSet(response);
        boolean switching = phase() == Phase.UPGRADING;
        HttpHeadersPolicy.stripHopByHop(headers, switching);
        HttpHeadersPolicy.addVia(headers);
        boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (http10 && chunked && !noBody) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING); // an HTTP/1.0 client reads until close
            framed = false;
        }
        if (!switching) {
            // An answer before the whole request came (a 413 to an upload): the client's
            // connection may have to close, with the rest of the body unread; say so now.
            clientKeepAlive &= framed && body.complete();
            if (!clientKeepAlive) {
                headers.set(HttpHeadersPolicy.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (http10) {
                headers.set(HttpHeadersPolicy.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
    }

    @Override
    public void onUpstreamMessage(Object msg) {
        if (over()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpContent content) {
            onResponseContent(content);
        } else if (msg instanceof ByteBuf bytes && phase() == Phase.UPGRADING) {
            earlyUpstreamBytes.add(bytes); // after a 101, before the relay is in place
        } else {
            ReferenceCountUtil.release(msg);
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR, upstream.peer()
                    + " sent a second response to one request");
        }
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (content.decoderResult().isFailure()) {
            content.release();
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR, upstream.peer()
                    + " sent a malformed response body: " + content.decoderResult().cause().getMessage());
            return;
        }
        if (phase() == Phase.UPGRADING) {
            content.release();
            if (last) {
                switchToRelay();
            }
            return;
        }
        entry.bytesOut += content.content().readableBytes();
        if (last) {
            ctx.writeAndFlush(content);
            complete();
            return;
        }
        ctx.writeAndFlush(content, ctx.voidPromise());
        if (!ctx.channel().isWritable()) {
            upstream.channel().config().setAutoRead(false);
        }
    }

    /**
     * The whole response reached the client. The upstream connection is pooled when its
     * response said keep-alive and the whole request went out (else the next request would
     * read this one's leftovers); the client connection is kept on its own terms.
     */
    private void complete() {
        become(Phase.DONE);
        upstream.channel().config().setAutoRead(true);
        if (upstreamKeepAlive && body.complete() && upstream.isActive()) {
            proxy.connector().release(upstream);
        } else {
            upstream.close();
        }
        releaseBuffers();
        proxy.accessLog().write(entry);
        client.exchangeDone(clientKeepAlive && body.complete());
    }

    private void switchToRelay() {
        become(Phase.RELAYING);
        client.relay(upstream, List.of(), earlyUpstreamBytes, relay -> {
            entry.bytesIn += relay.clientToUpstream();
            entry.bytesOut += relay.upstreamToClient();
            proxy.accessLog().write(entry);
        });
        earlyUpstreamBytes.clear();
        releaseBuffers();
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        client.updateReading();
    }

    @Override
    public void onClientWritabilityChanged() {
        if (phase() == Phase.RESPONDING) {
            upstream.channel().config().setAutoRead(ctx.channel().isWritable());
        }
    }

    @Override
    boolean responseStarted() {
        return phase() == Phase.RESPONDING || phase() == Phase.UPGRADING || phase() == Phase.RELAYING;
    }

    @Override
    boolean keepClientAfterError() {
        return clientKeepAlive && body.complete();
    }

    @Override
    void releaseBuffers() {
        body.release();
        for (ByteBuf b : earlyUpstreamBytes) {
            b.release();
        }
        earlyUpstreamBytes.clear();
    }
}
