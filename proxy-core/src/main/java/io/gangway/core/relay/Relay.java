package io.gangway.core.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * Relays raw bytes between two channels whose HTTP handlers are gone (a CONNECT tunnel, an
 * upgraded connection). Back-pressure: a side stops reading while its peer cannot take more.
 * Half-close: an end of input on one side shuts the output of the other, and the pair closes
 * once both directions are done, or either side closes or fails.
 */
public final class Relay {

    private final Channel client;
    private final Channel upstream;
    private final Consumer<Relay> onClosed;
    private long clientToUpstream;
    private long upstreamToClient;
    private boolean clientInputDone;
    private boolean upstreamInputDone;
    private boolean closed;

    private Relay(Channel client, Channel upstream, Consumer<Relay> onClosed) {
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
    }

    /**
     * Joins the channels. Each must be on the same event loop, with its HTTP codec removed and
     * nothing after {@code afterName} in its pipeline that reads; the relay handler is added last.
     *
     * @param onClosed called once, on the event loop, when the relay is over
     */
    public static Relay bridge(Channel client, Channel upstream, Consumer<Relay> onClosed) {
        Relay relay = new Relay(client, upstream, onClosed);
        client.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        upstream.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        client.pipeline().addLast("relay", relay.new Side(true));
        upstream.pipeline().addLast("relay", relay.new Side(false));
        startReading(client);
        startReading(upstream);
        return relay;
    }

    /**
     * Reads from now on, unless the input already ended (a client that half-closed before the
     * relay was in place): epoll has dropped such a socket's read interest, and asking for it
     * again fails with ENOENT.
     */
    private static void startReading(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex && duplex.isInputShutdown())) {
            channel.config().setAutoRead(true);
        }
    }

    public long clientToUpstream() {
        return clientToUpstream;
    }

    public long upstreamToClient() {
        return upstreamToClient;
    }

    /** Sends bytes that arrived before the relay was in place, in their direction. */
    public void forward(ByteBuf bytes, boolean fromClient) {
        if (fromClient) {
            clientToUpstream += bytes.readableBytes();
        } else {
            upstreamToClient += bytes.readableBytes();
        }
        Channel to = fromClient ? upstream : client;
        to.writeAndFlush(bytes, to.voidPromise());
    }

    /**
     * One side's input ended: shut the other side's output (its pending bytes first), or close
     * both when both inputs have ended. For an end of input seen before the relay was in place.
     */
    public void inputDone(boolean fromClient) {
        if (fromClient) {
            clientInputDone = true;
        } else {
            upstreamInputDone = true;
        }
        Channel peer = fromClient ? upstream : client;
        if (clientInputDone && upstreamInputDone) {
            close();
        } else if (peer instanceof DuplexChannel duplex) {
            duplex.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
        }
    }

    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Let what was already written reach each side before the close.
        client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        onClosed.accept(this);
    }

    private final class Side extends ChannelInboundHandlerAdapter {
        private final boolean isClient;

        Side(boolean isClient) {
            this.isClient = isClient;
        }

        private Channel peer() {
            return isClient ? upstream : client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf) || closed) {
                ReferenceCountUtil.release(msg);
                return;
            }
            if (isClient) {
                clientToUpstream += buf.readableBytes();
            } else {
                upstreamToClient += buf.readableBytes();
            }
            Channel peer = peer();
            peer.write(buf, peer.voidPromise());
            if (!peer.isWritable()) {
                // Stop reading first: the flush may drain the peer at once, and its writability
                // event must find reading already off, or reading would never resume.
                ctx.channel().config().setAutoRead(false);
                peer.flush();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            peer().flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                peer().config().setAutoRead(true);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                inputDone(isClient);
                return;
            }
            if (evt instanceof IdleStateEvent) {
                close();
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            close();
        }
    }
}
