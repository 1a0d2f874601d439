package io.gangway.core.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The I/O transport: native epoll on Linux when it loads, NIO elsewhere. */
public final class Transport {

    private final String name;
    private final EventLoopGroup group;
    private final Class<? extends ServerChannel> serverChannel;
    private final Class<? extends Channel> socketChannel;

    private Transport(String name, IoHandlerFactory factory, int threads,
                      Class<? extends ServerChannel> serverChannel, Class<? extends Channel> socketChannel) {
        this.name = name;
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("gangway-io", true), factory);
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

    public Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    public Class<? extends Channel> socketChannel() {
        return socketChannel;
    }
}
