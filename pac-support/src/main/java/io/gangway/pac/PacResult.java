package io.gangway.pac;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import io.gangway.routing.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A PAC answer, parsed as browsers do: entries separated by {@code ;} (a {@code ,} is taken
 * too), any whitespace inside, keywords in any case: {@code DIRECT}, {@code PROXY}/{@code HTTP}
 * (port 80 when absent), {@code HTTPS} (443), {@code SOCKS}/{@code SOCKS4} (1080, SOCKS4 as
 * browsers read a bare {@code SOCKS}), {@code SOCKS5} (1080); {@code PROXY reject.docker.internal:PORT}
 * refuses the connection, as in Docker Desktop. A malformed entry is skipped and
 * named in {@link #warnings()}; it never makes the whole answer fail.
 *
 * @param raw      what the script returned
 * @param routes   the usable entries, in order; empty when none was
 */
public record PacResult(String raw, List<Route> routes, List<String> warnings) {

    public PacResult {
        routes = List.copyOf(routes);
        warnings = List.copyOf(warnings);
    }

    public static PacResult parse(String raw) {
        List<Route> routes = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String entry : raw.split("[;,]")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            try {
                Route route = entry(e);
                if (!routes.contains(route)) {
                    routes.add(route);
                }
            } catch (IllegalArgumentException ex) {
                warnings.add("skipped '" + LogSafe.oneLine(e) + "': " + LogSafe.oneLine(ex.getMessage()));
            }
        }
        return new PacResult(raw, routes, warnings);
    }

    /**
     * Characters that cannot be in a host name, even an internationalised one: controls,
     * invisible formatting (U+200B, U+FEFF), spaces of any kind, and URL delimiters (brackets
     * enclose an IPv6 literal, never belong to it).
     */
    private static boolean notInAHostName(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.PRIVATE_USE || type == Character.SURROGATE
                || type == Character.UNASSIGNED || "/\\@?#<>\"'`{}|^%[]".indexOf(c) >= 0;
    }

    private static Route entry(String e) {
        String[] words = e.split("\\s+");
        String keyword = words[0].toUpperCase(Locale.ROOT);
        if (keyword.equals("DIRECT")) {
            if (words.length != 1) {
                throw new IllegalArgumentException("DIRECT takes no address");
            }
            return Route.DIRECT;
        }
        Route.Kind kind;
        int defaultPort;
        switch (keyword) {
            case "PROXY", "HTTP" -> { kind = Route.Kind.HTTP; defaultPort = 80; }
            case "HTTPS" -> { kind = Route.Kind.HTTPS; defaultPort = 443; }
            case "SOCKS", "SOCKS4" -> { kind = Route.Kind.SOCKS4; defaultPort = 1080; }
            case "SOCKS5" -> { kind = Route.Kind.SOCKS5; defaultPort = 1080; }
            default -> throw new IllegalArgumentException("unknown keyword " + words[0]);
        }
        if (words.length != 2) {
            throw new IllegalArgumentException(words.length == 1 ? "no address" : "expected one host:port");
        }
        HostPort.Parsed hp = HostPort.parse(words[1], defaultPort);
        if (hp.host().isEmpty() || hp.port() < 1) {
            throw new IllegalArgumentException("bad address " + words[1]);
        }
        if (hp.host().indexOf(':') >= 0 && !Cidr.isIpLiteral(hp.host())) {
            // HostPort takes "a:b:c" for a bare IPv6 literal; only a real one may have colons
            throw new IllegalArgumentException("bad address " + words[1] + " (an IPv6 proxy is written [2001:db8::1]:8080)");
        }
        int bad = hp.host().codePoints().filter(PacResult::notInAHostName).findFirst().orElse(-1);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format("the host holds U+%04X, which no host name can hold", bad));
        }
        if (kind == Route.Kind.HTTP && hp.host().equalsIgnoreCase(Route.REJECT_HOST)) {
            return new Route(Route.Kind.REJECT, hp.host(), hp.port()); // Docker Desktop's way of saying no
        }
        return new Route(kind, hp.host(), hp.port());
    }
}
