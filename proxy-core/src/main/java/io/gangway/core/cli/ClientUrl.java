package io.gangway.core.cli;

import io.gangway.core.config.ClientView;
import io.gangway.core.config.ListenAddress;
import io.gangway.core.config.Profile;
import io.gangway.core.http.ClientAcl;
import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The proxy URL that {@code gangway env} gives a client: an address of the listener that the
 * client can reach and that the allow list admits, or a warning saying why there is none.
 *
 * @param url      {@code http://host:port}
 * @param warnings what the user should know about it (printed on standard error)
 */
record ClientUrl(String url, List<String> warnings) {

    static final String DOCKER_HOST_NAME = "http.docker.internal";

    /**
     * The host's programs reach the engine listener: a wildcard one by loopback when the
     * allow list admits it, else by the first address of this machine that it admits.
     */
    static ClientUrl forHost(ClientView view) {
        ListenAddress listener = first(view.listen(), "--listen");
        ClientAcl acl = new ClientAcl(view.allow());
        List<String> warnings = new ArrayList<>();
        InetAddress address = literal(listener);
        String host = listener.host();
        if (address != null && address.isAnyLocalAddress()) {
            InetAddress chosen = admitted(acl, address instanceof java.net.Inet6Address);
            if (chosen == null) {
                throw new IllegalArgumentException("the listener " + listener + " admits no address of this machine (--allow "
                        + view.allow() + "); add one to --allow (127.0.0.1/32 for this host), or give --proxy-url");
            }
            host = Cidr.text(chosen);
        } else if (address != null && !acl.allows(new InetSocketAddress(address, 0))) {
            warnings.add("clients connecting from " + Cidr.text(address) + " are not in --allow " + view.allow()
                    + ": Gangway would refuse them (403)");
        }
        return new ClientUrl(url(host, listener.port()), warnings);
    }

    /**
     * Containers reach the containers listener (else the engine's) by its own address when it
     * listens on a bridge's, else by http.docker.internal, as under Docker Desktop.
     */
    static ClientUrl forContainers(ClientView view) {
        boolean own = !view.containersListen().isEmpty();
        ListenAddress listener = own ? view.containersListen().get(0) : first(view.listen(), "--listen");
        InetAddress address = literal(listener);
        List<String> warnings = new ArrayList<>();
        if (address != null && !address.isAnyLocalAddress() && !address.isLoopbackAddress()) {
            return new ClientUrl(url(Cidr.text(address), listener.port()), warnings);
        }
        if (address != null && address.isLoopbackAddress()) {
            warnings.add((own ? "the containers listener " : "there is no containers listener (--containers-listen), and the "
                    + "engine listener ") + listener + " is loopback, which containers cannot reach: listen on the bridge's "
                    + "address (--containers-listen 172.17.0.1:" + listener.port() + " --allow 172.16.0.0/12), or give --proxy-url");
        }
        warnings.add("containers resolve " + DOCKER_HOST_NAME + " on a Linux engine only when started with "
                + "--add-host " + DOCKER_HOST_NAME + ":host-gateway");
        return new ClientUrl(url(DOCKER_HOST_NAME, listener.port()), warnings);
    }

    /** A URL given with --proxy-url, checked; never echoed, since it could hold a password. */
    static ClientUrl given(String text) {
        String t = text.trim();
        if (t.indexOf('@') >= 0) {
            throw new IllegalArgumentException("--proxy-url names a user: clients reach Gangway with no user; give "
                    + "http://host:port (the value is not shown: it may hold a password)");
        }
        URI uri;
        try {
            uri = new URI(t);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--proxy-url '" + t + "' is not a URL: " + e.getReason());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("--proxy-url '" + t + "': expected http://host:port, with a port in 1..65535");
        }
        return new ClientUrl(t, List.of());
    }

    private static ListenAddress first(List<ListenAddress> listeners, String flag) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listen address: give " + flag);
        }
        ListenAddress listener = listeners.get(0);
        if (listener.port() == 0) {
            throw new IllegalArgumentException("the listener " + listener + " has port 0, which is chosen when Gangway "
                    + "starts: give its port, or --proxy-url");
        }
        return listener;
    }

    private static InetAddress literal(ListenAddress listener) {
        return listener.isLiteral() ? Cidr.literalAddress(listener.host()) : null;
    }

    /** Loopback of the listener's family if admitted, else the first admitted address of an interface. */
    private static InetAddress admitted(ClientAcl acl, boolean v6) {
        List<InetAddress> candidates = new ArrayList<>();
        candidates.add(Cidr.literalAddress(v6 ? "::1" : "127.0.0.1"));
        candidates.add(Cidr.literalAddress("127.0.0.1"));
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                candidates.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // loopback only
        }
        for (InetAddress candidate : candidates) {
            boolean family = v6 || candidate instanceof java.net.Inet4Address; // a v6 wildcard takes v4 too
            if (family && !candidate.isLinkLocalAddress() && acl.allows(new InetSocketAddress(candidate, 0))) {
                return candidate;
            }
        }
        return null;
    }

    /** {@code http://host:port}; an IPv6 zone's {@code %} written as {@code %25}, as RFC 6874 says. */
    private static String url(String host, int port) {
        return "http://" + HostPort.format(host.replace("%", "%25"), port);
    }
}
