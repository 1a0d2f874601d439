package io.gangway.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.socksx.SocksMessage;
import io.netty.handler.codec.socksx.SocksPortUnificationServerHandler;
import io.netty.handler.codec.socksx.v4.DefaultSocks4CommandResponse;
import io.netty.handler.codec.socksx.v4.Socks4CommandRequest;
import io.netty.handler.codec.socksx.v4.Socks4CommandStatus;
import io.netty.handler.codec.socksx.v5.DefaultSocks5CommandResponse;
import io.netty.handler.codec.socksx.v5.DefaultSocks5InitialResponse;
import io.netty.handler.codec.socksx.v5.Socks5AuthMethod;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequest;
import io.netty.handler.codec.socksx.v5.Socks5CommandRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5CommandStatus;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A SOCKS4a and SOCKS5 (no authentication) server on loopback. It records every destination
 * asked for as the client sent it ({@code name:port}), and connects to it through
 * {@code resolve}, so tests can send made-up names to a local origin.
 */
public final class SocksProxy implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final List<String> destinations = new CopyOnWriteArrayList<>();
    private final UnaryOperator<String> resolve;

    /** @param resolve maps a requested host to the one to connect to (identity for real names) */
    public SocksProxy(UnaryOperator<String> resolve) throws InterruptedException {
        this.resolve = resolve;
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SocksPortUnificationServerHandler(), new Handler());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Destinations asked for, in order, as {@code host:port}. */
    public List<String> destinations() {
        return List.copyOf(destinations);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<SocksMessage> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SocksMessage msg) {
            if (msg instanceof Socks5InitialRequest) {
                ctx.pipeline().addFirst(new Socks5CommandRequestDecoder());
                ctx.writeAndFlush(new DefaultSocks5InitialResponse(Socks5AuthMethod.NO_AUTH));
            } else if (msg instanceof Socks5CommandRequest r) {
                connect(ctx, r.dstAddr(), r.dstPort(),
                        () -> new DefaultSocks5CommandResponse(Socks5CommandStatus.SUCCESS, r.dstAddrType(), r.dstAddr(), r.dstPort()),
                        () -> new DefaultSocks5CommandResponse(Socks5CommandStatus.FAILURE, r.dstAddrType()));
            } else if (msg instanceof Socks4CommandRequest r) {
                connect(ctx, r.dstAddr(), r.dstPort(),
                        () -> new DefaultSocks4CommandResponse(Socks4CommandStatus.SUCCESS),
                        () -> new DefaultSocks4CommandResponse(Socks4CommandStatus.REJECTED_OR_FAILED));
            } else {
                ctx.close();
            }
        }

        private void connect(ChannelHandlerContext ctx, String host, int port,
                             java.util.function.Supplier<Object> ok, java.util.function.Supplier<Object> refused) {
            destinations.add(host + ":" + port);
            Channel client = ctx.channel();
            client.config().setAutoRead(false);
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                        }
                    })
                    .connect(resolve.apply(host), port).addListener(f -> {
                        Channel target = ((io.netty.channel.ChannelFuture) f).channel();
                        if (!f.isSuccess()) {
                            client.writeAndFlush(refused.get());
                            Pipe.closeOnFlush(client);
                            return;
                        }
                        client.writeAndFlush(ok.get()).addListener(w -> {
                            ctx.pipeline().remove(Handler.this);
                            removeSocksCodecs(client);
                            Pipe.join(client, target);
                        });
                    });
        }

        private void removeSocksCodecs(Channel ch) {
            for (String name : ch.pipeline().names()) {
                Object h = ch.pipeline().get(name);
                if (h != null && h.getClass().getPackageName().startsWith("io.netty.handler.codec.socksx")) {
                    ch.pipeline().remove(name);
                }
            }
        }
    }
}
