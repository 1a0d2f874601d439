package io.gangway.core.http;

import io.gangway.core.clientauth.ClientVerifier;
import io.gangway.core.clientauth.ClientVerifier.Verdict;
import io.gangway.core.http.ErrorResponses.ProxyError;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Before the {@link ClientHandler} of a proxy listener: when a client-auth file is in force, lets
 * through only requests whose {@code Proxy-Authorization} names one of its users, without that
 * header. A request that fails is replaced by a {@link Refusal}, which the client handler answers
 * in its turn (407, or 503 when too many verifications are under way), so that responses keep
 * the order of the requests; its body is dropped. While a password is being verified (off the
 * event loop) what the client sends next waits here, and reading stops: one read's worth at most.
 */
final class ClientAuthGate extends ChannelDuplexHandler {

    static final String CHALLENGE = "Basic realm=\"gangway\", charset=\"UTF-8\"";

    /** A request refused for its credentials, answered by the client handler in the request's turn. */
    record Refusal(String method, boolean busy, boolean keepAlive) {

        FullHttpResponse response(ByteBufAllocator alloc) {
            if (busy) {
                FullHttpResponse response = ErrorResponses.create(alloc, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        ProxyError.CONNECTION_LIMIT_REACHED, message(), keepAlive);
                response.headers().set("Retry-After", ErrorResponses.RETRY_AFTER_SECONDS);
                return response;
            }
            FullHttpResponse response = ErrorResponses.create(alloc, HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED,
                    ProxyError.HTTP_REQUEST_DENIED, message(), keepAlive);
            response.headers().set("Proxy-Authenticate", CHALLENGE)
                    .set("Proxy-Status", "gangway; error=" + ProxyError.HTTP_REQUEST_DENIED.token + "; details=\"client-auth-file\"");
            return response;
        }

        /** The same whether the user is unknown or the password wrong: a client learns nothing of which users exist. */
        String message() {
            return busy ? "too many proxy passwords are being checked at once; try again shortly"
                    : "this proxy needs a user and password (Proxy-Authorization: Basic) that its client-auth file accepts";
        }
    }

    private enum Phase {
        /** Messages go on to the client handler. */
        PASSING,
        /** A request head's credentials are being verified: everything waits in {@link #held}. */
        VERIFYING,
        /** The body of a refused request: dropped until its end. */
        DROPPING_BODY
    }

    private final ContextSlot slot;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.PASSING;
    private boolean readWanted;
    private boolean closed;

    ClientAuthGate(ContextSlot slot) {
        this.slot = slot;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase == Phase.VERIFYING) {
            held.add(msg);
        } else {
            accept(msg);
        }
    }

    /** One message in its turn, with nothing verifying before it. */
    private void accept(Object msg) {
        if (phase == Phase.DROPPING_BODY && msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            content.release();
            phase = last ? Phase.PASSING : Phase.DROPPING_BODY;
            return;
        }
        phase = Phase.PASSING;
        ClientVerifier verifier = msg instanceof HttpRequest ? slot.get().clientAuth() : null;
        if (verifier == null || ((HttpRequest) msg).decoderResult().isFailure()) {
            ctx.fireChannelRead(msg); // bodies, tunnel bytes, and heads that the client handler refuses anyway
            return;
        }
        HttpRequest request = (HttpRequest) msg;
        // Two of them (a field that may occur once) would leave open which one counts.
        List<String> given = request.headers().getAll(HttpHeaderNames.PROXY_AUTHORIZATION);
        CompletableFuture<Verdict> verdict = verifier.check(given.size() == 1 ? given.get(0) : null);
        if (verdict.isDone()) {
            decide(request, verdict.join());
            return;
        }
        phase = Phase.VERIFYING;
        verdict.whenComplete((v, failure) -> ctx.executor().execute(() -> verified(request, v == null ? Verdict.REJECTED : v)));
    }

    private void verified(HttpRequest request, Verdict verdict) {
        if (closed) {
            ReferenceCountUtil.release(request);
            return;
        }
        phase = Phase.PASSING;
        decide(request, verdict);
        while (phase != Phase.VERIFYING && !held.isEmpty()) {
            accept(held.poll());
        }
        if (phase != Phase.VERIFYING && readWanted) {
            readWanted = false;
            if (ctx.channel().config().isAutoRead()) {
                ctx.read();
            }
        }
    }

    private void decide(HttpRequest request, Verdict verdict) {
        slot.get().stats().telemetry().clientAuth(verdict.label);
        if (verdict == Verdict.ACCEPTED) {
            request.headers().remove(HttpHeaderNames.PROXY_AUTHORIZATION); // the client's credentials are for Gangway only
            ctx.fireChannelRead(request);
            return;
        }
        // Keep the connection only when nothing of this request is left to drop (no body): the
        // client then sends its next try on it, as browsers and curl do after a 407.
        boolean bodyless = !HttpUtil.isTransferEncodingChunked(request) && HttpUtil.getContentLength(request, 0L) == 0;
        Refusal refusal = new Refusal(request.method().name(), verdict == Verdict.BUSY, bodyless && HttpUtil.isKeepAlive(request));
        ReferenceCountUtil.release(request);
        phase = Phase.DROPPING_BODY;
        ctx.fireChannelRead(refusal);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (phase == Phase.VERIFYING) {
            readWanted = true; // asked again once the verdict is in
        } else {
            ctx.read();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        closed = true;
        releaseHeld();
    }

    private void releaseHeld() {
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
