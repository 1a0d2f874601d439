package io.gangway.core.http;

import io.gangway.auth.AuthRequest;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.upstream.UpstreamAuthenticator;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
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

/**
 * One plain HTTP request through the proxy: the head rewritten for the route (absolute form to a
 * proxy, origin form to an origin) and both bodies streamed with back-pressure. While the
 * upstream connection may still challenge, the request body is also kept (up to replay-buffer)
 * so that it can be sent again after a 407. A {@code 101 Switching Protocols} turns the
 * exchange into a raw relay.
 */
final class ForwardExchange extends UpstreamExchange {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ForwardExchange.class);

    private final HttpRequest request;
    private final HttpHeaders outboundHeaders;
    private final boolean upgrade;
    private final boolean expectContinue;
    private final boolean hasBody;
    private boolean clientKeepAlive;
    /** An OPTIONS is authenticating the connection before the real request goes (see sendProbe). */
    private boolean probing;
    private boolean probed;
    private boolean probeKeepAlive;
    /** Some of the body was written to an upstream (so a retry needs the kept copy). */
    private boolean bodyForwarded;

    /** Body parts that arrived while no upstream connection could take them. */
    private final List<HttpContent> pending = new ArrayList<>();
    /** Copies of the body sent so far, while a 407 is possible on this connection. */
    private final List<HttpContent> replay = new ArrayList<>();
    private boolean keepReplay;
    private long replayBytes;
    private boolean replayOverflow;
    private boolean requestComplete;
    /** The 407 is consumed but the client's body is still arriving: resend when it is complete. */
    private boolean awaitingResend;

    private boolean skipInformationalEnd;
    private boolean switching;
    private final List<ByteBuf> earlyUpstreamBytes = new ArrayList<>();
    private HttpResponse upstreamResponse;
    private boolean responseHeadSent;

    ForwardExchange(ProxyContext proxy, ClientHandler client, ChannelHandlerContext ctx,
                    HttpRequest request, RequestTarget target, AccessLog.Entry entry) {
        super(proxy, client, ctx, target, entry);
        this.request = request;
        this.upgrade = HttpHeadersPolicy.isUpgrade(request.headers());
        this.expectContinue = HttpUtil.is100ContinueExpected(request);
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.hasBody = HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
        // The request is this exchange's own: its headers become the outbound ones in place.
        HttpHeaders headers = request.headers();
        HttpHeadersPolicy.stripHopByHop(headers, upgrade);
        headers.set(HttpHeadersPolicy.HOST, target.hostHeader());
        HttpHeadersPolicy.addVia(headers);
        this.outboundHeaders = headers;
    }

    @Override
    boolean isTunnel() {
        return false;
    }

    @Override
    AuthRequest authRequest() {
        return new AuthRequest(request.method().name(), target.absoluteForm());
    }

    @Override
    void send(String proxyAuthorization) {
        boolean probeFirst = hasBody && !probed && proxy.authenticator().handshakeFirst(upstream, proxyAuthorization);
        if (log.isDebugEnabled()) {
            log.debug("{} {} to {} (authorization: {}, probe first: {})", request.method(), target.forLog(), upstream,
                    proxyAuthorization == null ? "none" : proxyAuthorization.split(" ")[0], probeFirst);
        }
        if (probeFirst) {
            sendProbe(proxyAuthorization);
            return;
        }
        probing = false; // the probe's 407 may have taught a scheme that needs no more probing
        keepReplay = proxy.authenticator().mayChallenge(upstream) || upstream.reused();
        // The same headers serve every attempt: only the authorization changes. The encoder has
        // copied them into bytes by the time write() returns (we are on the channel's loop).
        HttpHeaders headers = outboundHeaders;
        if (proxyAuthorization != null) {
            headers.set(HttpHeadersPolicy.PROXY_AUTHORIZATION, proxyAuthorization);
        } else {
            headers.remove(HttpHeadersPolicy.PROXY_AUTHORIZATION);
        }
        String uri = upstream.route().isHttpProxy() ? target.absoluteForm() : target.originForm();
        upstream.channel().write(new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), uri, headers));
        requestSent = true;
        List<HttpContent> resend = new ArrayList<>(replay);
        replay.clear();
        replayBytes = 0;
        for (HttpContent part : resend) {
            forwardBody(part);
        }
        for (HttpContent part : pending) {
            forwardBody(part);
        }
        pending.clear();
        upstream.channel().flush();
        client.updateReading();
    }

    /**
     * Authenticates the connection with a body-less {@code OPTIONS} for the same URL (a safe
     * method, harmless to the origin) before the real request: a proxy that answers 407 to a
     * request stops reading its body, and a large body could neither be sent nor replayed.
     * (Not HEAD: some proxies put a body on their 407 to a HEAD, which breaks the framing.)
     */
    private void sendProbe(String proxyAuthorization) {
        probing = true;
        DefaultFullHttpRequest probe = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, target.absoluteForm());
        probe.headers().set(HttpHeadersPolicy.HOST, target.hostHeader());
        if (request.headers().contains(HttpHeaderNames.USER_AGENT)) {
            probe.headers().set(HttpHeaderNames.USER_AGENT, request.headers().get(HttpHeaderNames.USER_AGENT));
        }
        HttpHeadersPolicy.addVia(probe.headers());
        if (proxyAuthorization != null) {
            probe.headers().set(HttpHeadersPolicy.PROXY_AUTHORIZATION, proxyAuthorization);
        }
        probe.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        upstream.channel().writeAndFlush(probe);
    }

    private void forwardBody(HttpContent part) {
        if (keepReplay && !replayOverflow) {
            int n = part.content().readableBytes();
            if (replayBytes + n <= proxy.config().replayBuffer()) {
                replay.add(part.retainedDuplicate());
                replayBytes += n;
            } else {
                replayOverflow = true;
                releaseAll(replay);
            }
        }
        bodyForwarded |= part.content().isReadable();
        upstream.channel().write(part);
    }

    @Override
    public void onClientContent(HttpContent content) {
        if (finished) {
            content.release();
            return;
        }
        entry.bytesIn += content.content().readableBytes();
        if (content instanceof LastHttpContent) {
            requestComplete = true;
        }
        if (upstream == null || !requestSent) {
            pending.add(content);
        } else {
            forwardBody(content);
            upstream.channel().flush();
        }
        if (requestComplete && awaitingResend) {
            awaitingResend = false;
            retry();
        }
        client.updateReading();
    }

    @Override
    void retryWhenReady() {
        if (requestComplete || !bodyForwarded) {
            retry();
        } else {
            awaitingResend = true;
        }
    }

    @Override
    public boolean wantsClientData() {
        return !finished && upstream != null && requestSent && !requestComplete && upstream.channel().isWritable();
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
            onResponseContent(content);
        } else if (msg instanceof ByteBuf bytes && switching) {
            earlyUpstreamBytes.add(bytes); // after a 101, before the relay is in place
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponseHead(HttpResponse response) {
        if (failedOrChallenged(response)) {
            return;
        }
        int code = response.status().code();
        if (probing && (code < 100 || code >= 200)) {
            proxy.authenticator().onAccepted(upstream); // the probe's answer is not the client's
            probed = true;
            probeKeepAlive = HttpUtil.isKeepAlive(response);
            return;
        }
        if (code >= 100 && code < 200 && code != 101) {
            skipInformationalEnd = true;
            if (code == 100 && expectContinue && !responseHeadSent) {
                // A full message, so that the encoder is ready for the final response head.
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
            }
            return;
        }
        proxy.authenticator().onAccepted(upstream);
        if (upstream.route().isHttpProxy()) {
            entry.auth = UpstreamAuthenticator.schemeOf(upstream);
        }
        releaseAll(replay);
        keepReplay = false;
        upstreamResponse = response;
        entry.status = String.valueOf(code);
        if (code == 101 && upgrade) {
            switching = true;
        }
        ctx.write(clientHead(response));
        responseHeadSent = true;
    }

    /** The response head as the client gets it: hop-by-hop headers gone, framing fit for its version. */
    private HttpResponse clientHead(HttpResponse response) {
        HttpHeaders headers = response.headers();
        boolean chunked = HttpUtil.isTransferEncodingChunked(response);
        int code = response.status().code();
        boolean noBody = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        boolean framed = noBody || chunked || HttpUtil.isContentLengthSet(response);
        HttpHeadersPolicy.stripHopByHop(headers, switching);
        HttpHeadersPolicy.addVia(headers);
        boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (http10 && chunked && !noBody) {
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING); // an HTTP/1.0 client reads until close
            framed = false;
        }
        if (!switching) {
            clientKeepAlive &= framed;
            if (!clientKeepAlive) {
                headers.set(HttpHeadersPolicy.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (http10) {
                headers.set(HttpHeadersPolicy.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        }
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status(), headers);
    }

    private void onResponseContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (probing && probed && !challengePending) {
            content.release();
            if (last) {
                probing = false;
                if (probeKeepAlive && upstream.isActive()) {
                    sendWithToken();
                } else {
                    reconnect("the upstream closed the connection after authenticating it");
                }
            }
            return;
        }
        if (skipInformationalEnd || challengePending) {
            content.release();
            if (last && skipInformationalEnd) {
                skipInformationalEnd = false;
            } else if (last) {
                challengeConsumed();
            }
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            fail(HttpResponseStatus.BAD_GATEWAY, ProxyError.HTTP_PROTOCOL_ERROR, upstream.route()
                    + " sent a malformed response body: " + content.decoderResult().cause().getMessage());
            return;
        }
        if (switching) {
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

    /** The whole response reached the client: pool the upstream connection when it is clean. */
    private void complete() {
        finished = true;
        upstream.channel().config().setAutoRead(true);
        boolean reusable = requestComplete && HttpUtil.isKeepAlive(upstreamResponse) && upstream.isActive();
        if (reusable) {
            proxy.connector().release(upstream);
        } else {
            upstream.close();
        }
        releaseBuffers();
        proxy.accessLog().write(entry);
        client.exchangeDone(clientKeepAlive && requestComplete);
    }

    private void switchToRelay() {
        finished = true;
        ClientHandlerSwitch.toRelay(ctx, client, upstream, List.of(), earlyUpstreamBytes, relay -> {
            entry.bytesIn += relay.clientToUpstream();
            entry.bytesOut += relay.upstreamToClient();
            proxy.accessLog().write(entry);
        });
        earlyUpstreamBytes.clear();
    }

    @Override
    public void onUpstreamWritabilityChanged() {
        client.updateReading();
    }

    @Override
    public void onClientWritabilityChanged() {
        if (upstream != null && !finished) {
            upstream.channel().config().setAutoRead(ctx.channel().isWritable());
        }
    }

    @Override
    boolean responseStarted() {
        return responseHeadSent;
    }

    @Override
    boolean replayable() {
        // Nothing of the body went out yet (it waits in pending), or all of it was kept.
        return !bodyForwarded || requestComplete && keepReplay && !replayOverflow;
    }

    @Override
    boolean keepClientAfterError() {
        return clientKeepAlive && requestComplete;
    }

    @Override
    void releaseBuffers() {
        releaseAll(pending);
        releaseAll(replay);
        for (ByteBuf b : earlyUpstreamBytes) {
            b.release();
        }
        earlyUpstreamBytes.clear();
    }

    private static void releaseAll(List<HttpContent> parts) {
        for (HttpContent part : parts) {
            part.release();
        }
        parts.clear();
    }
}
