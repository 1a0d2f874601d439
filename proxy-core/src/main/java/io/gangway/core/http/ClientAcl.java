package io.gangway.core.http;

import io.gangway.core.server.ServerStats;
import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import io.netty.channel.Channel;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which clients may use the proxy. With no ranges configured: loopback clients only. With
 * ranges: exactly those (list 127.0.0.1/32 too when local programs share a gateway listener),
 * so that the rule is the same whatever address a listener is bound to.
 */
public final class ClientAcl {

    private static final Logger log = LoggerFactory.getLogger("gangway");

    private final List<Cidr> allowed;

    public ClientAcl(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /**
     * Counts an accepted client connection (until it closes) and says whether it may stay; a
     * client outside the list is logged, and left to the caller to refuse.
     *
     * @param what the kind of listener, for the log line ("", "published port ...", "transparent")
     */
    boolean admit(Channel ch, ServerStats stats, String what) {
        stats.clientOpened();
        ch.closeFuture().addListener(f -> stats.clientClosed());
        if (allows(ch.remoteAddress())) {
            return true;
        }
        log.warn("denied client {}{}: not in the allow list (--allow)", host(ch.remoteAddress()), what);
        return false;
    }

    /** {@code ip:port} as people write it ({@code [::1]:52174}), as the logs show a peer. */
    static String address(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                ? HostPort.format(NetUtil.toAddressString(a.getAddress()), a.getPort()) : String.valueOf(address);
    }

    /** The peer's IP alone. */
    public static String host(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                ? NetUtil.toAddressString(a.getAddress()) : String.valueOf(address);
    }

    public boolean allows(SocketAddress remote) {
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return false;
        }
        InetAddress address = inet.getAddress();
        if (allowed.isEmpty()) {
            return address.isLoopbackAddress();
        }
        for (Cidr cidr : allowed) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
