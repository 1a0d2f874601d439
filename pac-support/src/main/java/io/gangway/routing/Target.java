package io.gangway.routing;

import java.util.Locale;

/**
 * What a client asked to reach: a host, a port, and the scheme it speaks ({@code http} for plain
 * requests, {@code https} for CONNECT tunnels, whose inner scheme a proxy cannot see), and for
 * plain requests the path and query (a PAC may route on them).
 *
 * @param explicitPort the PAC's URL names the port even when it is the scheme's default
 *                     ({@code https://host:443/}), as Docker Desktop passes the URLs of
 *                     transparently proxied connections
 */
public record Target(String scheme, String host, int port, String path, boolean explicitPort) {

    public Target {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = HostPort.stripBrackets(host).toLowerCase(Locale.ROOT);
        path = path == null || path.isEmpty() ? "/" : path;
    }

    public Target(String scheme, String host, int port, String path) {
        this(scheme, host, port, path, false);
    }

    public Target(String scheme, String host, int port) {
        this(scheme, host, port, "/");
    }

    /** The same target, with its PAC URL naming the port ({@code https://host:443/}). */
    public Target withExplicitPort() {
        return new Target(scheme, host, port, path, true);
    }

    public String authority() {
        return HostPort.format(host, port);
    }

    /**
     * The URL a PAC sees: {@code http://host[:port]/path?query} for plain requests,
     * {@code https://host[:port]/} for tunnels (only the authority is known), the port left out
     * when it is the scheme's default, as browsers pass it.
     */
    public String url() {
        boolean defaultPort = !explicitPort && (scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443);
        return scheme + "://" + (defaultPort ? HostPort.bracket(host) : HostPort.format(host, port)) + path;
    }

    @Override
    public String toString() {
        return scheme + "://" + authority();
    }
}
