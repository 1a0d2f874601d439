package io.gangway.harness;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Copies what one channel reads to another, and closes the other when this one closes: the harness's relays. */
final class Pipe extends ChannelInboundHandlerAdapter {

    private final Channel to;

    Pipe(Channel to) {
        this.to = to;
    }

    /** Joins two active channels both ways and starts reading. */
    static void join(Channel a, Channel b) {
        a.pipeline().addLast(new Pipe(b));
        b.pipeline().addLast(new Pipe(a));
        a.config().setAutoRead(true);
        b.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        to.writeAndFlush(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeOnFlush(to);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    static void closeOnFlush(Channel ch) {
        if (ch.isActive()) {
            ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
