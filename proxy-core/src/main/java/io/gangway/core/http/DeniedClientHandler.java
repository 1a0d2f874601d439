package io.gangway.core.http;

import io.gangway.core.http.ErrorResponses.ProxyError;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/** Answers the first request of a client outside the allow list with 403, then closes. */
final class DeniedClientHandler extends ChannelInboundHandlerAdapter {

    private final String client;
    private boolean answered;

    DeniedClientHandler(String client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        boolean request = msg instanceof HttpRequest;
        ReferenceCountUtil.release(msg);
        if (request && !answered) {
            answered = true;
            ctx.writeAndFlush(ErrorResponses.create(ctx.alloc(), HttpResponseStatus.FORBIDDEN,
                    ProxyError.HTTP_REQUEST_DENIED, "client " + client + " is not in the allow list (--allow)", false))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
