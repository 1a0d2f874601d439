package io.gangway.routing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An upstream proxy URL as configured or found in HTTP_PROXY:
 * {@code scheme://[user[:password]@]host[:port]}, the scheme one of {@code http} (the default;
 * port 3128), {@code https} (TLS to the proxy; 443), {@code socks5}/{@code socks5h}/{@code socks}
 * (1080) or {@code socks4}/{@code socks4a} (1080); SOCKS always sends the name. The user and
 * password apply to that upstream only. A password in the URL is accepted (HTTP_PROXY often
 * carries one) but the configuration prefers GANGWAY_PASSWORD or a password file.
 */
public record ProxyUrl(Route route, String user, char[] password) {

    public static ProxyUrl parse(String text) {
        String s = text.trim();
        String scheme = "http";
        int sep = s.indexOf("://");
        if (sep >= 0) {
            scheme = s.substring(0, sep).toLowerCase(Locale.ROOT);
            s = s.substring(sep + 3);
        }
        Route.Kind kind = switch (scheme) {
            case "http" -> Route.Kind.HTTP;
            case "https" -> Route.Kind.HTTPS;
            case "socks", "socks5", "socks5h" -> Route.Kind.SOCKS5;
            case "socks4", "socks4a" -> Route.Kind.SOCKS4;
            default -> throw new IllegalArgumentException("unsupported upstream scheme '" + scheme
                    + "://' (expected http://, https://, socks5:// or socks4://)");
        };
        int slash = s.indexOf('/');
        if (slash >= 0) {
            if (!s.substring(slash).equals("/")) {
                throw new IllegalArgumentException("an upstream URL has no path: " + redact(text));
            }
            s = s.substring(0, slash);
        }
        String user = null;
        char[] password = null;
        int at = s.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = s.substring(0, at);
            s = s.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                password = decode(userInfo.substring(colon + 1)).toCharArray();
            }
        }
        HostPort.Parsed hp = HostPort.parse(s, switch (kind) {
            case HTTPS -> 443;
            case SOCKS4, SOCKS5 -> 1080;
            default -> 3128;
        });
        if (hp.host().isEmpty()) {
            throw new IllegalArgumentException("no host in upstream " + redact(text));
        }
        if (hp.port() < 1) {
            throw new IllegalArgumentException("port must be in 1..65535 in upstream " + redact(text));
        }
        return new ProxyUrl(new Route(kind, hp.host(), hp.port()), user == null || user.isEmpty() ? null : user, password);
    }

    /** The URL with any password masked, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Without credentials, for OS settings. */
    public static ProxyUrl of(Route route) {
        return new ProxyUrl(route, null, null);
    }

    @Override
    public String toString() {
        return route.kind().name().toLowerCase(java.util.Locale.ROOT) + "://" + (user != null ? user + "@" : "")
                + route.authority();
    }
}
