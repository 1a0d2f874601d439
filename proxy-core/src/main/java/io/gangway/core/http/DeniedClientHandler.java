package io.gangway.core.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers the first request of a connection that was not admitted (403 outside the allow list,
 * 503 over a connection limit), then closes. The request head is read first, so that the client,
 * which is sending it, reads the answer rather than a reset; the head timeouts bound the wait.
 */
final class DeniedClientHandler extends ChannelInboundHandlerAdapter {

    private final Admission.Refusal refusal;
    private final RequestHeadTimeout headTimeout;
    private boolean answered;

    DeniedClientHandler(Admission.Refusal refusal, RequestHeadTimeout headTimeout) {
        this.refusal = refusal;
        this.headTimeout = headTimeout;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean request = msg instanceof HttpRequest;
        ReferenceCountUtil.release(msg);
        if (request && !answered) {
            answered = true;
            headTimeout.headReceived();
            ctx.writeAndFlush(refusal.response(ctx.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
