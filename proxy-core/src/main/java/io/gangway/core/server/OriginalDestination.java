package io.gangway.core.server;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a redirected connection was going. After an iptables/nftables {@code REDIRECT}, the
 * kernel keeps the original destination in the connection tracking entry and gives it with
 * {@code getsockopt(SOL_IP, SO_ORIGINAL_DST)} (IPv6: {@code SOL_IPV6, IP6T_SO_ORIGINAL_DST});
 * under {@code TPROXY} the accepted socket's own local address is the original destination.
 * Java and Netty have no API for the first, so it is one libc call through JNA, made only for
 * transparent listeners.
 */
public final class OriginalDestination {

    private static final int SOL_IP = 0;
    private static final int SOL_IPV6 = 41;
    /** Both {@code SO_ORIGINAL_DST} (linux/netfilter_ipv4.h) and {@code IP6T_SO_ORIGINAL_DST}. */
    private static final int SO_ORIGINAL_DST = 80;

    private interface LibC extends Library {
        int getsockopt(int fd, int level, int name, byte[] value, IntByReference length) throws LastErrorException;
    }

    /** Loaded on first use: a proxy without transparent listeners never loads JNA. */
    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    private OriginalDestination() {
    }

    /**
     * The original destination of an accepted connection, or empty when it was not redirected:
     * a client that connected to the listener itself.
     *
     * @param listener the address the transparent listener is bound to
     */
    public static Optional<InetSocketAddress> of(Channel accepted, InetSocketAddress listener) {
        InetSocketAddress local = (InetSocketAddress) accepted.localAddress();
        Optional<InetSocketAddress> natted = accepted instanceof UnixChannel unix
                ? redirected(unix.fd().intValue(), local.getAddress() instanceof Inet4Address) : Optional.empty();
        InetSocketAddress destination = natted.orElse(local); // TPROXY: the socket's own address
        boolean toListener = destination.getPort() == listener.getPort()
                && (destination.getAddress().equals(listener.getAddress()) || listener.getAddress().isAnyLocalAddress()
                && destination.getAddress().equals(local.getAddress()));
        return toListener ? Optional.empty() : Optional.of(destination);
    }

    /** What {@code SO_ORIGINAL_DST} says, or empty when the connection has no NAT entry. */
    static Optional<InetSocketAddress> redirected(int fd, boolean ipv4) {
        byte[] address = new byte[ipv4 ? 16 : 28];
        IntByReference length = new IntByReference(address.length);
        try {
            Holder.LIBC.getsockopt(fd, ipv4 ? SOL_IP : SOL_IPV6, SO_ORIGINAL_DST, address, length);
        } catch (LastErrorException e) {
            return Optional.empty(); // ENOENT: not redirected (no conntrack entry, or TPROXY)
        }
        return Optional.of(parse(address, ipv4));
    }

    /** A {@code sockaddr_in} or {@code sockaddr_in6}: the port and the address in network order. */
    static InetSocketAddress parse(byte[] sockaddr, boolean ipv4) {
        int port = (sockaddr[2] & 0xff) << 8 | sockaddr[3] & 0xff;
        byte[] ip = ipv4 ? Arrays.copyOfRange(sockaddr, 4, 8) : Arrays.copyOfRange(sockaddr, 8, 24);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + ip.length + " bytes", e);
        }
    }
}
