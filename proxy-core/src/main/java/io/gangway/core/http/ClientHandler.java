package io.gangway.core.http;

import io.gangway.core.config.OverloadLimit;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.gangway.core.relay.Relay;
import io.gangway.routing.HostPort;
import io.gangway.core.upstream.UpstreamConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client connection: validates each request head, starts a
 * {@link ForwardExchange} or a {@link TunnelExchange} for it, and feeds it the body. One exchange
 * at a time: pipelined requests wait in a queue (reading stops while one waits, and at most
 * max-pending-requests: the first request beyond gets 503 in its turn, and nothing after it is
 * read). Once a request is all in, reading stays on while it is served (turning it off and on
 * was two epoll_ctl calls per request); the connection is half-closable, so a client that ends
 * its output after its requests gets their answers, then the close.
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements ClientSide {

    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final HttpResponseStatus ESTABLISHED = new HttpResponseStatus(200, "Connection established");

    private final ContextSlot slot;
    /** The profile's context as of the request under way (a reload changes it for the next one). */
    private ProxyContext proxy;
    private final RequestHeadTimeout headTimeout;
    private ChannelHandlerContext ctx;
    private Exchange current;
    /** Pipelined messages waiting for the current exchange: heads, their bodies, and perhaps a {@link Overflow} last. */
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    /** The request heads in {@link #queued}. */
    private int queuedRequests;
    private Lifetime lifetime = Lifetime.OPEN;
    private String clientAddress;

    /** How much longer the connection lives. */
    private enum Lifetime {
        /** Kept alive as long as the client and the exchanges want it. */
        OPEN,
        /** The client ended its output: what it asked is answered, then the connection closes. */
        INPUT_ENDED,
        /** Closing: nothing more is read or answered. */
        CLOSING
    }

    /** Where a redirected client's connection was going (a transparent listener's port 80); null for proxy clients. */
    private final InetSocketAddress transparent;

    ClientHandler(ProxyContext proxy, RequestHeadTimeout headTimeout) {
        this(new ContextSlot(proxy), headTimeout, null);
    }

    ClientHandler(ContextSlot slot, RequestHeadTimeout headTimeout, InetSocketAddress transparent) {
        this.slot = slot;
        this.proxy = slot.get();
        this.headTimeout = headTimeout;
        this.transparent = transparent;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lifetime == Lifetime.CLOSING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (current != null && msg instanceof ByteBuf bytes) {
            current.onClientBytes(bytes);
            return;
        }
        if (current != null && (startsExchange(msg) || !queued.isEmpty())) {
            queue(msg); // pipelined: waits for the current exchange
            updateReading();
            return;
        }
        dispatch(msg);
    }

    /** Stands in the queue for the first pipelined request beyond max-pending-requests (released already). */
    private record Overflow(String method) {
    }

    private void queue(Object msg) {
        if (queued.peekLast() instanceof Overflow) {
            ReferenceCountUtil.release(msg); // the connection closes once the overflow is answered
        } else if (isRequest(msg) && queuedRequests >= proxy.config().limits().pendingRequests()) {
            queued.add(new Overflow(msg instanceof HttpRequest request ? request.method().name()
                    : ((ClientAuthGate.Refusal) msg).method()));
            ReferenceCountUtil.release(msg);
        } else {
            queuedRequests += isRequest(msg) ? 1 : 0;
            queued.add(msg);
        }
    }

    /** Whether a queued message waits for the exchange under way to end. */
    private static boolean startsExchange(Object msg) {
        return isRequest(msg) || msg instanceof Overflow;
    }

    /** A request head, or what the auth gate left of one it refused. */
    private static boolean isRequest(Object msg) {
        return msg instanceof HttpRequest || msg instanceof ClientAuthGate.Refusal;
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest request) {
            startExchange(request);
        } else if (msg instanceof ClientAuthGate.Refusal refusal) {
            refuseCredentials(refusal);
        } else if (msg instanceof Overflow overflow) {
            AccessLog.Entry entry = new AccessLog.Entry(clientAddress(), proxy.profile());
            entry.method = overflow.method();
            int limit = proxy.config().limits().pendingRequests();
            refuse(entry, OverloadLimit.PENDING_REQUESTS, "more than " + limit + " requests were pipelined behind the one "
                    + "being served (" + OverloadLimit.PENDING_REQUESTS.key() + "): send this one again");
        } else if (msg instanceof HttpContent content) {
            DecoderResult result = content.decoderResult();
            if (current == null) {
                content.release(); // body of a request already answered
            } else if (result.isFailure()) {
                content.release();
                current.onClientMalformed("malformed request body: " + result.cause().getMessage());
            } else {
                current.onClientContent(content);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startExchange(HttpRequest request) {
        headTimeout.headReceived();
        ProxyContext next = slot.get();
        boolean reloaded = next != proxy;
        proxy = next;
        AccessLog.Entry entry = new AccessLog.Entry(clientAddress(), proxy.profile());
        if (reloaded && !proxy.acl().allows(ctx.channel().remoteAddress())) {
            // a reload narrowed the allow list: a connection kept alive since gets no more requests
            entry.method = request.method().name();
            reject(entry, HttpResponseStatus.FORBIDDEN, "this client is no longer in the allow list (--allow)");
            return;
        }
        entry.method = request.method().name();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                reject(entry, HttpResponseStatus.REQUEST_URI_TOO_LONG, "the request line is longer than "
                        + proxy.config().limits().requestLine() + " bytes (max-request-line)");
            } else if (cause instanceof TooLongHttpHeaderException) {
                reject(entry, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request head is larger than "
                        + proxy.config().limits().headerSize() + " bytes (max-header-size)");
            } else {
                reject(entry, HttpResponseStatus.BAD_REQUEST, "malformed request: " + cause.getMessage());
            }
            return;
        }
        if (request.headers().size() > proxy.config().limits().headers()) {
            reject(entry, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "the request has more than "
                    + proxy.config().limits().headers() + " header fields (max-headers)");
            return;
        }
        entry.target = request.uri().length() > 200 ? request.uri().substring(0, 200) : request.uri();
        RequestHeadRules.Violation violation = RequestHeadRules.check(request).orElse(null);
        if (violation != null) {
            entry.target = "-";
            reject(entry, violation.status(), violation.reason());
            return;
        }
        boolean connect = request.method().equals(HttpMethod.CONNECT);
        if (transparent != null) {
            entry.destination = HostPort.format(transparent.getAddress().getHostAddress(), transparent.getPort());
            if (connect) {
                reject(entry, HttpResponseStatus.BAD_REQUEST, "CONNECT on a connection to " + entry.destination
                        + ", which was redirected to Gangway: this port is not a proxy");
                return;
            }
        }
        RequestTarget target;
        try {
            target = connect ? RequestTarget.connect(request.uri())
                    : transparent != null ? RequestTarget.transparent(request.uri(), request.headers().get(HttpHeadersPolicy.HOST), transparent)
                    : RequestTarget.absolute(request.uri());
        } catch (IllegalArgumentException e) {
            entry.target = "-";
            reject(entry, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        entry.target = target.forLog();
        if (connect && !proxy.stats().budget().openTunnel(ctx.channel(), proxy.config().limits().tunnels())) {
            refuse(entry, OverloadLimit.TUNNELS, "Gangway has " + proxy.config().limits().tunnels()
                    + " tunnels open, its limit (" + OverloadLimit.TUNNELS.key() + "); try again shortly");
            return;
        }
        if (connect) {
            // Bytes after the CONNECT head belong to the tunnel, not to HTTP: stop decoding now.
            ctx.pipeline().get(HttpServerCodec.class).removeInboundHandler();
            entry.tunnel = true;
            proxy.stats().tunnelStarted();
            current = new TunnelExchange(proxy, this, ctx, target, entry);
        } else {
            proxy.stats().requestStarted();
            current = new ForwardExchange(proxy, this, ctx, request, target, entry);
        }
        current.start();
        updateReading();
    }

    /** The gate refused a request's credentials: 407 (or 503, too many being checked), in the request's turn. */
    private void refuseCredentials(ClientAuthGate.Refusal refusal) {
        headTimeout.headReceived();
        AccessLog.Entry entry = new AccessLog.Entry(clientAddress(), proxy.profile());
        entry.method = refusal.method();
        entry.target = "-"; // the gate refused the head before it was checked: nothing of it is logged
        FullHttpResponse response = refusal.response(ctx.alloc());
        if (!refusal.keepAlive()) {
            answerAndClose(entry, response, refusal.message());
            return;
        }
        entry.status = String.valueOf(response.status().code());
        proxy.accessLog().write(entry);
        ctx.writeAndFlush(response);
        exchangeDone(true);
    }

    @Override
    public void failed(HttpResponseStatus status, ProxyError error, String message, boolean keepAlive) {
        ctx.writeAndFlush(ErrorResponses.create(ctx.alloc(), status, error, message, keepAlive));
        exchangeDone(keepAlive);
    }

    @Override
    public void tunnelUp() {
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, ESTABLISHED));
    }

    @Override
    public Relay relay(UpstreamConnection upstream, List<ByteBuf> fromClient, List<ByteBuf> fromUpstream,
                       Consumer<Relay> onClosed) {
        return ClientHandlerSwitch.toRelay(ctx, this, upstream, fromClient, fromUpstream, onClosed);
    }

    /** The exchange finished; keep the connection for the next request or close it. */
    @Override
    public void exchangeDone(boolean keepAlive) {
        current = null;
        if (!keepAlive || lifetime == Lifetime.CLOSING || (lifetime == Lifetime.INPUT_ENDED && queued.isEmpty())) {
            lifetime = Lifetime.CLOSING;
            releaseQueued();
            ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        headTimeout.awaitNextHead();
        while (!queued.isEmpty() && lifetime != Lifetime.CLOSING && !(current != null && startsExchange(queued.peek()))) {
            Object next = queued.poll();
            queuedRequests -= isRequest(next) ? 1 : 0;
            dispatch(next);
        }
        updateReading();
    }

    /** The exchange became a raw relay: this handler's work is over. */
    void handedOver() {
        current = null;
        releaseQueued();
        ctx.pipeline().remove(this);
    }

    @Override
    public boolean redirected() {
        return transparent != null;
    }

    @Override
    public void updateReading() {
        boolean read = lifetime == Lifetime.OPEN && queued.isEmpty()
                && (current == null || current.requestComplete() || current.wantsClientData());
        ctx.channel().config().setAutoRead(read);
    }

    /** The client's address and port, as the access log shows it (formatted once per connection). */
    String clientAddress() {
        if (clientAddress == null) {
            clientAddress = ClientAcl.address(ctx.channel().remoteAddress());
        }
        return clientAddress;
    }

    private void reject(AccessLog.Entry entry, HttpResponseStatus status, String message) {
        answerAndClose(entry, ErrorResponses.create(ctx.alloc(), status, errorType(status), message, false), message);
    }

    /** A limit refuses the request: 503 with Retry-After, counted, then the connection closes. */
    private void refuse(AccessLog.Entry entry, OverloadLimit limit, String message) {
        proxy.stats().refused(limit, ClientAcl.host(ctx.channel().remoteAddress()));
        answerAndClose(entry, ErrorResponses.overloaded(ctx.alloc(), limit, message), message);
    }

    private void answerAndClose(AccessLog.Entry entry, FullHttpResponse response, String message) {
        lifetime = Lifetime.CLOSING;
        entry.status = String.valueOf(response.status().code());
        proxy.accessLog().write(entry);
        log.debug("rejecting request from {}: {} {}", entry.client, response.status().code(), message);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static ProxyError errorType(HttpResponseStatus status) {
        return status.code() == 403 ? ProxyError.HTTP_REQUEST_DENIED : ProxyError.HTTP_REQUEST_ERROR;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.onClientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && current == null) {
            ctx.close(); // an idle keep-alive connection; exchanges watch their own time
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * The client ended its output (the decoder has passed on what it left unfinished). Between
     * requests, or in the middle of one, it is gone: close, as a connection that is not
     * half-closable would have. After whole requests, it is a half-close: they are answered first.
     */
    private void inputEnded() {
        if (lifetime != Lifetime.OPEN) {
            return;
        }
        if (current == null && queued.isEmpty() || current != null && !current.requestComplete()) {
            ctx.close();
            return;
        }
        lifetime = Lifetime.INPUT_ENDED;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseQueued();
        if (current != null) {
            Exchange exchange = current;
            current = null;
            exchange.onClientClosed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("client {} connection error: {}", clientAddress(), cause.toString());
        ctx.close();
    }

    private void releaseQueued() {
        Object msg;
        while ((msg = queued.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        queuedRequests = 0;
    }
}
