package io.gangway.core.http;

import io.gangway.routing.HostPort;
import io.gangway.routing.Target;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The target of a proxy request: an absolute URI ({@code http://host[:port]/path?query}) for
 * plain requests, an authority ({@code host:port}) for CONNECT.
 *
 * @param target       scheme, host and port
 * @param originForm   path and query as sent to an origin ({@code /} when empty)
 * @param hostHeader   the Host header the request must carry (port omitted when default)
 * @param direct       where a DIRECT route connects: the target, or for a redirected connection the
 *                     address its client connected to (never a name that Gangway resolves again)
 */
public record RequestTarget(Target target, String originForm, String hostHeader, Target direct) {

    public RequestTarget(Target target, String originForm, String hostHeader) {
        this(target, originForm, hostHeader, target);
    }

    /**
     * The target of a request on a redirected port-80 connection: origin form, named by its Host
     * header (else the address connected to), on the port connected to; DIRECT goes to that address.
     */
    static RequestTarget transparent(String uri, String host, InetSocketAddress destination) {
        Target direct = new Target("http", destination.getAddress().getHostAddress(), destination.getPort());
        if (uri.regionMatches(true, 0, "http://", 0, 7)) {
            RequestTarget absolute = absolute(uri);
            return new RequestTarget(absolute.target.withExplicitPort(), absolute.originForm, absolute.hostHeader, direct);
        }
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("cannot parse request target '" + abbreviate(uri) + "'");
        }
        String name = direct.host();
        if (host != null && !host.isBlank()) {
            HostPort.Parsed hp = HostPort.parse(host, destination.getPort());
            if (!hp.host().isEmpty()) {
                name = hp.host();
            }
        }
        Target target = new Target("http", name, destination.getPort(), uri).withExplicitPort();
        String hostHeader = destination.getPort() == 80 ? HostPort.bracket(target.host()) : target.authority();
        return new RequestTarget(target, uri, hostHeader, direct);
    }

    /**
     * A redirected connection carried as a tunnel: named by its TLS server name when it has one,
     * else by the address connected to, which is where DIRECT goes.
     */
    static RequestTarget transparentTunnel(String serverName, InetSocketAddress destination) {
        Target direct = new Target("https", destination.getAddress().getHostAddress(), destination.getPort());
        Target target = serverName == null ? direct.withExplicitPort()
                : new Target("https", serverName, destination.getPort()).withExplicitPort();
        return new RequestTarget(target, "", target.authority(), direct);
    }

    /** Parses the target of a CONNECT request; the port is required. */
    static RequestTarget connect(String authority) {
        HostPort.Parsed hp;
        try {
            hp = HostPort.parse(authority, -1);
        } catch (IllegalArgumentException e) {
            hp = null;
        }
        if (hp == null || hp.host().isEmpty() || hp.port() < 1 || authority.contains("/") || authority.contains("@")) {
            throw new IllegalArgumentException("CONNECT needs host:port, got '" + abbreviate(authority) + "'");
        }
        Target target = new Target("https", hp.host(), hp.port());
        return new RequestTarget(target, "", target.authority());
    }

    /**
     * Parses an absolute-form URI; only {@code http} is proxied as a plain request. Public for
     * {@code gangway check}, which must see a URL as the proxy would.
     */
    public static RequestTarget absolute(String uri) {
        int sep = uri.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException(uri.startsWith("/")
                    ? "this is a proxy: send requests in absolute form (GET http://host/path), "
                    + "for example by setting HTTP_PROXY to this address"
                    : "cannot parse request target '" + abbreviate(uri) + "'");
        }
        String scheme = uri.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("only http:// URLs can be sent as plain requests; use CONNECT for "
                    + scheme + "://");
        }
        int authorityEnd = uri.length();
        for (int i = sep + 3; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        String authority = uri.substring(sep + 3, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1); // userinfo is not sent to origins (RFC 9110 4.2.4)
        }
        HostPort.Parsed hp = HostPort.parse(authority, 80);
        if (hp.host().isEmpty() || hp.port() < 1) {
            throw new IllegalArgumentException("no host in request target '" + abbreviate(uri) + "'");
        }
        String rest = uri.substring(authorityEnd);
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            rest = rest.substring(0, hash);
        }
        String originForm = rest.isEmpty() ? "/" : rest.startsWith("?") ? "/" + rest : rest;
        Target target = new Target(scheme, hp.host(), hp.port(), originForm);
        String hostHeader = hp.port() == 80 ? HostPort.format(target.host(), 80).replaceFirst(":80$", "") : target.authority();
        return new RequestTarget(target, originForm, hostHeader);
    }

    /** The absolute form sent to an upstream proxy (without userinfo or fragment). */
    String absoluteForm() {
        return target.scheme() + "://" + hostHeader + originForm;
    }

    /** What the access log shows: no query string, which often carries tokens (signed URLs). */
    String forLog() {
        if (originForm.isEmpty()) {
            return target.authority();
        }
        int q = originForm.indexOf('?');
        return target.scheme() + "://" + hostHeader + (q < 0 ? originForm : originForm.substring(0, q) + "?…");
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
