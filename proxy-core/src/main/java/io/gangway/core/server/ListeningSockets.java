package io.gangway.core.server;

import io.gangway.core.config.ListenAddress;
import io.gangway.core.http.TransparentInitializer;
import io.gangway.routing.HostPort;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/**
 * Opens the listening socket of one listener: binds its address, or adopts the socket systemd
 * passed for it ({@link InheritedSockets}), with the options every listener shares.
 */
final class ListeningSockets {

    private final Transport transport;
    private volatile InheritedSockets inherited = InheritedSockets.none();

    ListeningSockets(Transport transport) {
        this.transport = transport;
    }

    void adopt(InheritedSockets sockets) {
        inherited = sockets;
    }

    /** A listening channel on {@code address} whose connections {@code initializer} sets up. */
    Channel open(ListenAddress address, ChannelHandler initializer) throws BindFailure {
        ServerChannel adopted = inherited.take(address);
        ServerBootstrap bootstrap = new ServerBootstrap().group(transport.acceptor(), transport.group());
        if (adopted != null) {
            bootstrap.channelFactory(() -> adopted);
        } else {
            bootstrap.channel(transport.serverChannel());
        }
        bootstrap.option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // no TCP_NODELAY: Netty's socket channels set it already (a second setsockopt per connection)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, Transport.WATER_MARK)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, Transport.receiveBuffers())
                .childHandler(initializer);
        if (initializer instanceof TransparentInitializer && transparentSocketsAllowed()) {
            // TPROXY delivers connections for addresses that are not this host's: IP_TRANSPARENT
            // (CAP_NET_ADMIN) lets the listener take them. REDIRECT needs no such right.
            bootstrap.option(EpollChannelOption.IP_TRANSPARENT, true);
        }
        try {
            return adopted != null ? bootstrap.register().sync().channel()
                    : bootstrap.bind(new InetSocketAddress(address.address(), address.port())).sync().channel();
        } catch (Exception e) {
            throw new BindFailure(address, e);
        }
    }

    static String text(InetSocketAddress address) {
        return HostPort.format(NetUtil.toAddressString(address.getAddress()), address.getPort());
    }

    /** A listen address that could not be bound, said as the user wrote it, with why. */
    static final class BindFailure extends Exception {
        BindFailure(ListenAddress address, Exception cause) {
            super("cannot listen on " + address + ": " + reason(address, cause), cause);
        }

        private static String reason(ListenAddress address, Exception cause) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("Cannot assign requested address") || message.contains("EADDRNOTAVAIL")) {
                return "no interface of this machine has the address " + address.host()
                        + " (yet: a bridge such as docker0 exists only once its engine runs)";
            }
            if (message.contains("Address already in use") || message.contains("EADDRINUSE")) {
                return "the port is in use by another program";
            }
            if (message.contains("Permission denied") || message.contains("EACCES")) {
                return "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)";
            }
            return cause instanceof java.net.UnknownHostException ? "unknown host " + address.host() : message;
        }
    }

    /** Whether this process holds CAP_NET_ADMIN (bit 12 of its effective capabilities), which IP_TRANSPARENT needs. */
    private static boolean transparentSocketsAllowed() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapEff:"))
                    .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & (1L << 12)) != 0);
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
    }
}
