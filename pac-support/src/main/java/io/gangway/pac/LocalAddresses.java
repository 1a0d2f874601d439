package io.gangway.pac;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * This host's addresses as {@code myIpAddress()} should see them: the address of the interface
 * that routes outward first, then the other non-loopback addresses of interfaces that are up.
 * A PAC that tests {@code isInNet(myIpAddress(), "10.0.0.0", ...)} to tell office from home
 * needs this, not 127.0.0.1.
 */
public final class LocalAddresses {

    /** Documentation-range addresses: a UDP "connect" only asks the kernel for a route, no packet is sent. */
    private static final InetSocketAddress PROBE_V4 = new InetSocketAddress("192.0.2.1", 9);
    private static final InetSocketAddress PROBE_V6 = new InetSocketAddress("2001:db8::1", 9);

    private LocalAddresses() {
    }

    /** The given override, parsed, when set; else the detected addresses. */
    public static List<InetAddress> of(String override) {
        if (override != null && !override.isBlank()) {
            List<InetAddress> out = new ArrayList<>();
            for (String part : override.split("[;,\\s]+")) {
                InetAddress a = io.gangway.routing.Cidr.literalAddress(part);
                if (a == null) {
                    throw new IllegalArgumentException("not an IP address: " + part);
                }
                out.add(a);
            }
            return List.copyOf(out);
        }
        return detect();
    }

    public static List<InetAddress> detect() {
        Set<InetAddress> out = new LinkedHashSet<>();
        routedSource(PROBE_V4, out);
        routedSource(PROBE_V6, out);
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (!a.isLinkLocalAddress() && !a.isLoopbackAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // no interface list: what the route probe found, if anything
        }
        return List.copyOf(out);
    }

    private static void routedSource(InetSocketAddress probe, Set<InetAddress> out) {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(probe);
            InetAddress local = socket.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress() && !local.isLoopbackAddress()) {
                out.add(local);
            }
        } catch (SocketException | SecurityException e) {
            // no route that way (no IPv6, or offline)
        }
    }
}
