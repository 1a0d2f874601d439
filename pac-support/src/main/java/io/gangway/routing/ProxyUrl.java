package io.gangway.routing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An upstream proxy URL as configured or found in HTTP_PROXY: {@code http://[user[:password]@]host:port}. The user and
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
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException("unsupported upstream scheme '" + scheme + "://' (expected http://)");
        }
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
        HostPort.Parsed hp = HostPort.parse(s, 3128);
        if (hp.host().isEmpty()) {
            throw new IllegalArgumentException("no host in upstream " + redact(text));
        }
        if (hp.port() < 1) {
            throw new IllegalArgumentException("port must be in 1..65535 in upstream " + redact(text));
        }
        return new ProxyUrl(Route.http(hp.host(), hp.port()), user == null || user.isEmpty() ? null : user, password);
    }

    /** The URL with any password masked, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "http://" + (user != null ? user + "@" : "") + route.authority();
    }
}
