package io.gangway.core.server;

import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** The I/O transport: native epoll on Linux when it loads, NIO elsewhere. */
public final class Transport {

    /**
     * Back-pressure bounds per channel: a peer stops being read above 1 MiB unwritten and resumes
     * below 256 KiB. Netty's 32/64 KiB toggled reading on and off every few reads of a bulk
     * transfer (measured by bench/run: tunnels at about half the direct speed).
     */
    public static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /**
     * Reads sized to what arrives, from 2 KiB for small requests up to 1 MiB for bulk data (pooled
     * buffers, released once written). Up to 1 MiB rather than 256 KiB: one tunnel's throughput
     * +10-15% in A/B runs (fewer reads and loop passes per byte); idle tunnels stay at 16 KiB.
     */
    public static AdaptiveRecvByteBufAllocator receiveBuffers() {
        return new AdaptiveRecvByteBufAllocator(2048, 16 * 1024, 1024 * 1024);
    }

    private final String name;
    private final EventLoopGroup group;
    private final IoHandlerFactory factory;
    /** Made on first use: a transport that never listens (gangway check --login) opens no acceptor. */
    private EventLoopGroup acceptor;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;

    private Transport(String name, IoHandlerFactory factory, int threads,
                      Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gangway-io", true), factory);
        this.factory = factory;
        this.serverChannel = serverChannel;
        this.socketChannel = socketChannel;
    }

    /** One event loop per core: client and upstream channels of an exchange share a loop. */
    public static Transport create(int threads) {
        if (Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), threads,
                    EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return new Transport("nio", NioIoHandler.newFactory(), threads,
                NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public String name() {
        return name;
    }

    public EventLoopGroup group() {
        return group;
    }

    /**
     * The listeners' loop, a thread of its own. On an I/O loop, accepting waited its turn behind
     * the reads of every busy connection of that loop: when 1,000 clients connected at once, the
     * last of them waited a second in the listen queue, and wrk counted hundreds of requests over
     * 2 s (bench/run, 1,000 connections); with this loop, p99 was 100-360 ms from the first run.
     */
    public synchronized EventLoopGroup acceptor() {
        if (acceptor == null) {
            acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("gangway-accept", true), factory);
        }
        return acceptor;
    }

    /** Stops the listeners' loop, if there is one; the I/O loops are stopped by their owner. */
    public synchronized void shutdownAcceptor() {
        if (acceptor != null) {
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }
}
