package io.gangway.routing;

/** Formatting and parsing of {@code host:port}, IPv6 literals bracketed. */
public final class HostPort {

    private HostPort() {
    }

    public static String format(String host, int port) {
        return bracket(host) + ":" + port;
    }

    /** The host as it stands in a URL or authority: an IPv6 literal in brackets. */
    public static String bracket(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    public static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A parsed {@code host:port}; the port is {@code defaultPort} when absent. */
    public record Parsed(String host, int port) {
    }

    /**
     * Parses {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. A bare IPv6
     * literal without brackets is taken as a host without a port.
     */
    public static Parsed parse(String text, int defaultPort) {
        String s = text.trim();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in " + text);
            }
            String host = s.substring(1, close);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new Parsed(host, defaultPort);
            }
            if (!rest.startsWith(":")) {
                throw new IllegalArgumentException("expected ':port' after ']' in " + text);
            }
            return new Parsed(host, port(rest.substring(1), text));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0 || s.indexOf(':') != colon) {
            return new Parsed(s, defaultPort);
        }
        return new Parsed(s.substring(0, colon), port(s.substring(colon + 1), text));
    }

    private static int port(String digits, String text) {
        try {
            int port = Integer.parseInt(digits);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + digits + "' in " + text);
        }
    }
}
