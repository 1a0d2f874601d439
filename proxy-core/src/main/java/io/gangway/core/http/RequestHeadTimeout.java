package io.gangway.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client takes to send a request head once it has started one (slow-loris
 * defence): 408 and close after the request-head timeout. Sits before the HTTP decoder and sees
 * raw bytes; an idle keep-alive connection is the idle timeout's business, not this one's.
 */
final class RequestHeadTimeout extends ChannelInboundHandlerAdapter {

    private static final byte[] RESPONSE = ("HTTP/1.1 408 Request Timeout\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Proxy-Status: gangway; error=http_request_error\r\n"
            + "Connection: close\r\nContent-Length: 49\r\n\r\n"
            + "Gangway: the request head did not arrive in time\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    private boolean awaitingHead = true;
    private ScheduledFuture<?> timer;

    RequestHeadTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (awaitingHead && timer == null && msg instanceof ByteBuf) {
            timer = ctx.executor().schedule(this::expire, timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** A whole request head arrived. */
    void headReceived() {
        awaitingHead = false;
        cancel();
    }

    /** The exchange is over; the next bytes start a new head. */
    void awaitNextHead() {
        awaitingHead = true;
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
        if (awaitingHead && ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
