package io.gangway.core.upstream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an upstream channel: passes what happens to the exchange that owns the
 * connection, or, while the connection idles in the pool, drops it on any sign of life (an
 * idle HTTP connection must not speak; if it does, or closes, it is no longer reusable).
 */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(UpstreamHandler.class);

    private final UpstreamPool pool;
    private UpstreamConnection conn;

    UpstreamHandler(UpstreamPool pool) {
        this.pool = pool;
    }

    void bind(UpstreamConnection connection) {
        this.conn = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        UpstreamListener listener = conn == null ? null : conn.listener();
        if (listener != null) {
            listener.onUpstreamMessage(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        log.debug("idle upstream connection {} sent data; closing it", conn);
        drop(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        UpstreamListener listener = conn == null ? null : conn.listener();
        if (listener != null) {
            listener.onUpstreamClosed();
        } else if (conn != null) {
            pool.remove(conn);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            UpstreamListener listener = conn == null ? null : conn.listener();
            if (listener != null) {
                listener.onUpstreamTimeout();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        UpstreamListener listener = conn == null ? null : conn.listener();
        if (listener != null) {
            listener.onUpstreamWritabilityChanged();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        UpstreamListener listener = conn == null ? null : conn.listener();
        if (listener != null) {
            listener.onUpstreamError(cause);
        } else {
            log.debug("error on idle upstream connection {}: {}", conn, cause.toString());
        }
        drop(ctx);
    }

    private void drop(ChannelHandlerContext ctx) {
        if (conn != null) {
            pool.remove(conn);
        }
        ctx.close();
    }
}
