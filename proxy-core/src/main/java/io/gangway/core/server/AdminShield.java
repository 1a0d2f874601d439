package io.gangway.core.server;

import io.gangway.routing.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Keeps the admin listener out of the proxy's reach: a proxied request or CONNECT to its port on
 * an address that leads to it (its own, a loopback one, or any of this host's when it listens on
 * a wildcard) is refused, by name or literal at once and, for other names, once resolved, so that a client allowed to use the proxy but not the admin endpoint
 * cannot reload the configuration or read the status through it.
 */
public final class AdminShield {

    private volatile InetSocketAddress admin;

    /** The admin listener is bound here (null: none). */
    public void guard(InetSocketAddress bound) {
        admin = bound;
    }

    /** The admin listener at {@code closed} is gone: nothing is guarded, unless it has moved already. */
    public synchronized void closed(InetSocketAddress closed) {
        if (closed.equals(admin)) {
            admin = null;
        }
    }

    /**
     * Whether a {@code Host} (or {@code Origin}) that a request to the admin listener names is one
     * it may: an IP literal that leads to the listener, or {@code localhost}. A name is refused,
     * however it resolves: a page that rebinds a name to 127.0.0.1 (DNS rebinding) cannot read
     * the status or reload, nor can a request carried by a proxy on this host.
     */
    public boolean acceptsHost(String host) {
        InetSocketAddress a = admin;
        if (a == null) {
            return false;
        }
        String name = name(host);
        if (name.equals("localhost")) {
            return true;
        }
        InetAddress literal = literal(name);
        return literal != null && leadsToAdmin(literal, a);
    }

    /** Whether a request for {@code host:port} would reach the admin listener. */
    public boolean refuses(String host, int port) {
        InetSocketAddress a = admin;
        if (a == null || port != a.getPort()) {
            return false;
        }
        String name = name(host);
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        InetAddress literal = literal(name);
        // a name is checked once resolved, when a DIRECT connection is made (refuses(address, port))
        return literal != null && leadsToAdmin(literal, a);
    }

    /** A host as compared here: lower case, IPv6 brackets off. */
    private static String name(String host) {
        return HostPort.stripBrackets(host.toLowerCase(Locale.ROOT));
    }

    /** The IP literal {@code name} is, or null for a name. */
    private static InetAddress literal(String name) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(name);
        try {
            return bytes == null ? null : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether a DIRECT connection to {@code address:port} would reach the admin listener. */
    public boolean refuses(InetAddress address, int port) {
        InetSocketAddress a = admin;
        return a != null && port == a.getPort() && leadsToAdmin(address, a);
    }

    private static boolean leadsToAdmin(InetAddress target, InetSocketAddress admin) {
        InetAddress bound = admin.getAddress();
        if (target.isLoopbackAddress() || target.isAnyLocalAddress() || target.equals(bound)) {
            return true;
        }
        if (!bound.isAnyLocalAddress()) {
            return false;
        }
        try {
            return NetworkInterface.getByInetAddress(target) != null; // one of this host's addresses
        } catch (SocketException e) {
            return false;
        }
    }
}
