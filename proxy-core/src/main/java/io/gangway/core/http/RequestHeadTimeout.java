package io.gangway.core.http;

import io.gangway.core.config.OverloadLimit;
import io.gangway.core.config.Timeouts;
import io.gangway.core.server.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The client's clock until a request head is whole (slow-loris defence). Sits before the HTTP
 * decoder and sees raw bytes. A new connection has first-byte-timeout to send anything (then it
 * is closed: there is nothing to answer); once a head has started, request-head-timeout to finish
 * it (then 408 and close). A kept-alive connection waiting for its next request is the idle
 * timeout's business, not this one's: a client may keep a connection for later use, and closing it
 * sooner than the idle timeout would only make the client open another.
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

    private static final byte[] RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Proxy-Status: gangway; error=http_request_error\r\n"
            + "Connection: close\r\nContent-Length: 49\r\n\r\n"
            + "Gangway: the request head did not arrive in time\n").getBytes(StandardCharsets.US_ASCII);

    /**
     * Where the connection is; each phase has at most one timer, set by {@link #become} (the
     * head's only when a read ends with the head unfinished: nearly every head arrives whole in
     * one read, and a timer set and cancelled per request was a priority-queue insert and removal
     * on the loop).
     */
    enum Phase {
        /** Accepted, nothing received yet: first-byte-timeout. */
        FIRST_BYTE,
        /** A request head has started: request-head-timeout. */
        HEAD,
        /** A request is being served: the exchange's own timeouts. */
        SERVING,
        /** Kept alive for a next request: the idle timeout's. */
        BETWEEN_REQUESTS
    }

    private final long firstByteNanos;
    private final long headNanos;
    private final ServerStats stats;
    private ChannelHandlerContext ctx;
    private Phase phase;
    private ScheduledFuture<?> timer;
    /** When the head under way began ({@link Phase#HEAD}). */
    private long headStartNanos;

    RequestHeadTimeout(Timeouts timeouts, ServerStats stats) {
        this.firstByteNanos = timeouts.firstByte().toNanos();
        this.headNanos = timeouts.requestHead().toNanos();
        this.stats = stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        become(Phase.FIRST_BYTE); // added as the connection is accepted
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf && (phase == Phase.FIRST_BYTE || phase == Phase.BETWEEN_REQUESTS)) {
            become(Phase.HEAD);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (phase == Phase.HEAD && timer == null && headNanos > 0) {
            long left = headNanos - (ctx.executor().ticker().nanoTime() - headStartNanos);
            timer = ctx.executor().schedule(this::expire, Math.max(left, 0), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    /** A whole request head arrived. */
    void headReceived() {
        become(Phase.SERVING);
    }

    /** The exchange is over; the next bytes start a new head. */
    void awaitNextHead() {
        become(Phase.BETWEEN_REQUESTS);
    }

    Phase phase() {
        return phase;
    }

    private void become(Phase next) {
        cancel();
        phase = next;
        if (next == Phase.FIRST_BYTE && firstByteNanos > 0) {
            timer = ctx.executor().schedule(this::expire, firstByteNanos, TimeUnit.NANOSECONDS);
        } else if (next == Phase.HEAD) {
            headStartNanos = ctx.executor().ticker().nanoTime(); // the timer waits for the end of this read
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        if (phase == Phase.FIRST_BYTE) {
            stats.refused(OverloadLimit.FIRST_BYTE_TIMEOUT, ClientAcl.host(ctx.channel().remoteAddress()));
            ctx.close();
        } else if (phase == Phase.HEAD) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
