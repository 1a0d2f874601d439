package io.gangway.routing;

import java.util.Locale;

/**
 * What a client asked to reach: a host, a port, and the scheme it speaks ({@code http} for plain
 * requests, {@code https} for CONNECT tunnels, whose inner scheme a proxy cannot see).
 */
public record Target(String scheme, String host, int port) {

    public Target {
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = HostPort.stripBrackets(host).toLowerCase(Locale.ROOT);
    }

    public String authority() {
        return HostPort.format(host, port);
    }

    @Override
    public String toString() {
        return scheme + "://" + authority();
    }
}
