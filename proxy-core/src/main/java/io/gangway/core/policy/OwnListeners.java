package io.gangway.core.policy;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where Gangway itself listens, as bound (port 0 resolved), kept up to date across reloads: the
 * destination policy refuses proxied requests to these (to the admin listener always, to the
 * others in gateway mode, where a request to itself would loop), and the admin listener checks
 * the Host of requests made to it against its own address.
 */
public final class OwnListeners {

    private record Bound(InetSocketAddress address, boolean admin) {
    }

    /** Replaced, never changed: read on the event loops without a lock. */
    private volatile List<Bound> bound = List.of();

    /** A listener is bound at {@code address}; {@code admin} for the admin listener. */
    public synchronized void opened(InetSocketAddress address, boolean admin) {
        List<Bound> next = new ArrayList<>(bound);
        next.add(new Bound(address, admin));
        bound = List.copyOf(next);
    }

    /** The listener at {@code address} is closed. */
    public synchronized void closed(InetSocketAddress address) {
        List<Bound> next = new ArrayList<>(bound);
        next.removeIf(b -> b.address().equals(address));
        bound = List.copyOf(next);
    }

    /** Whether a listener of the kinds asked for ({@code all}: every one, else the admin one) has this port. */
    boolean hasPort(int port, boolean all) {
        for (Bound b : bound) {
            if (b.address().getPort() == port && (all || b.admin())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The rule ({@link DenyRule#ADMIN} or {@link DenyRule#SELF}) under which a connection to
     * {@code target:port} would reach one of Gangway's listeners, or null.
     *
     * @param all every listener, on any of this host's addresses (gateway mode); else the admin
     *            listener only, where it is bound (a loopback or wildcard address leads to it too)
     */
    DenyRule reaches(InetAddress target, int port, boolean all) {
        for (Bound b : bound) {
            if (b.address().getPort() == port && (all || b.admin()) && leadsTo(target, b.address().getAddress(), all)) {
                return b.admin() ? DenyRule.ADMIN : DenyRule.SELF;
            }
        }
        return null;
    }

    private static boolean leadsTo(InetAddress target, InetAddress bound, boolean anyLocal) {
        if (target.isLoopbackAddress() || target.isAnyLocalAddress() || target.equals(bound)) {
            return true;
        }
        if (!anyLocal && !bound.isAnyLocalAddress()) {
            return false;
        }
        try {
            return NetworkInterface.getByInetAddress(target) != null; // one of this host's addresses
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * Whether a {@code Host} (or {@code Origin}) that a request to the admin listener names is one
     * it may: an IP literal that leads to the listener, or {@code localhost}. A name is refused,
     * however it resolves: a page that rebinds a name to 127.0.0.1 (DNS rebinding) cannot read
     * the status or reload, nor can a request carried by a proxy on this host.
     */
    public boolean acceptsHost(String host) {
        Bound admin = admin();
        if (admin == null) {
            return false;
        }
        String name = HostPort.stripBrackets(host.toLowerCase(Locale.ROOT));
        if (name.equals("localhost")) {
            return true;
        }
        InetAddress literal = Cidr.literalAddress(name);
        return literal != null && leadsTo(literal, admin.address().getAddress(), false);
    }

    private Bound admin() {
        for (Bound b : bound) {
            if (b.admin()) {
                return b;
            }
        }
        return null;
    }
}
