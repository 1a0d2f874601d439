package io.gangway.routing;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a connection goes: DIRECT to the target, or through an upstream proxy. A value: equal
 * routes share pooled connections and failure records.
 */
public record Route(Kind kind, String host, int port) {

    /**
     * DIRECT; an HTTP proxy, in clear ({@code HTTP}) or over TLS ({@code HTTPS}); a SOCKS proxy
     * (SOCKS4 sends the name, as SOCKS4a, SOCKS5 too). Through SOCKS, the connection reaches the
     * target itself, as DIRECT does. {@code REJECT}: the connection is refused, as Docker
     * Desktop's PAC result {@code PROXY reject.docker.internal:PORT} says.
     */
    public enum Kind { DIRECT, HTTP, HTTPS, SOCKS4, SOCKS5, REJECT }

    public static final Route DIRECT = new Route(Kind.DIRECT, "", 0);

    /** The host name with which Docker Desktop's PACs refuse a connection. */
    public static final String REJECT_HOST = "reject.docker.internal";

    public Route {
        Objects.requireNonNull(kind, "kind");
        host = host == null ? "" : host.toLowerCase(Locale.ROOT);
        if (kind != Kind.DIRECT && (host.isEmpty() || port < 1 || port > 65535)) {
            throw new IllegalArgumentException("a proxy route needs a host and a port in 1..65535: " + host + ":" + port);
        }
    }

    public static Route http(String host, int port) {
        return new Route(Kind.HTTP, host, port);
    }

    public boolean isDirect() {
        return kind == Kind.DIRECT;
    }

    /** Whether requests go to an HTTP proxy (absolute-form, CONNECT, 407s) rather than to the target. */
    public boolean isHttpProxy() {
        return kind == Kind.HTTP || kind == Kind.HTTPS;
    }

    public boolean isSocks() {
        return kind == Kind.SOCKS4 || kind == Kind.SOCKS5;
    }

    /** Whether this route refuses the connection instead of carrying it. */
    public boolean isRejection() {
        return kind == Kind.REJECT;
    }

    /** {@code host:port}, with IPv6 literals bracketed; empty for DIRECT. */
    public String authority() {
        return isDirect() ? "" : HostPort.format(host, port);
    }

    /** One word for a log field: {@code DIRECT}, {@code PROXY/host:port}, {@code SOCKS5/host:port}. */
    public String token() {
        return isDirect() ? "DIRECT" : toString().replace(' ', '/');
    }

    /** PAC style: {@code DIRECT}, {@code PROXY host:port}, {@code HTTPS host:port}, {@code SOCKS5 host:port}. */
    @Override
    public String toString() {
        return switch (kind) {
            case DIRECT -> "DIRECT";
            case HTTP, REJECT -> "PROXY " + authority();
            default -> kind + " " + authority();
        };
    }
}
