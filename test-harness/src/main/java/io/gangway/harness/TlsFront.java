package io.gangway.harness;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS in front of a plain TCP service on loopback (an HTTPS proxy made of an HTTP one), with a
 * certificate for {@code localhost} and {@code 127.0.0.1} issued by a throwaway CA whose PEM
 * file {@link #caFile()} gives.
 */
public final class TlsFront implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Path caFile;

    public TlsFront(int backendPort) throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=Gangway test CA").setIsCertificateAuthority(true)
                .ecp256().buildSelfSigned();
        X509Bundle leaf = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1").ecp256().addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
        caFile = Files.createTempFile("gangway-test-ca", ".pem");
        Files.writeString(caFile, ca.getCertificatePEM());
        SslContext tls = SslContextBuilder.forServer(leaf.toKeyManagerFactory()).build();
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()), new Joiner(backendPort));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** Connects to the backend, keeps what the client sends meanwhile, then pipes both ways. */
    private static final class Joiner extends ChannelInboundHandlerAdapter {
        private final int backendPort;
        private final List<Object> early = new ArrayList<>();
        private Channel backend;

        Joiner(int backendPort) {
            this.backendPort = backendPort;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(InetAddress.getLoopbackAddress(), backendPort).addListener(f -> {
                        Channel b = ((io.netty.channel.ChannelFuture) f).channel();
                        if (!f.isSuccess()) {
                            client.close();
                            return;
                        }
                        backend = b;
                        b.pipeline().addLast(new Pipe(client));
                        for (Object msg : early) {
                            b.write(msg);
                        }
                        b.flush();
                        early.clear();
                        ctx.pipeline().replace(this, "pipe", new Pipe(b));
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            early.add(msg); // only before the backend is joined: then a Pipe takes this handler's place
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            early.forEach(io.netty.util.ReferenceCountUtil::release);
            if (backend != null) {
                backend.close();
            }
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The CA that issued this front's certificate, as a PEM file. */
    public Path caFile() {
        return caFile;
    }

    @Override
    public void close() throws java.io.IOException {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        Files.deleteIfExists(caFile);
    }
}
