package io.gangway.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * Targets that bypass every upstream proxy. One grammar for {@code --no-proxy}, the config file
 * and {@code NO_PROXY}; entries are separated by commas, semicolons or white space:
 * <ul>
 *   <li>{@code *} matches everything;</li>
 *   <li>{@code example.com} matches that host and its subdomains, as Go, curl and Docker read
 *       NO_PROXY; {@code .example.com} and {@code *.example.com} match subdomains only;</li>
 *   <li>{@code 10.1.2.3}, {@code ::1} match that IP literal; {@code 10.0.0.0/8} and
 *       {@code fd00::/8} match IP literals in the range (host names are not resolved);</li>
 *   <li>any of those with {@code :port} ({@code [v6]:port} for IPv6) matches that port only;</li>
 *   <li>{@code <local>} matches dot-less host names, {@code localhost} and loopback literals;</li>
 *   <li>any other {@code *} or {@code ?} is a wildcard over the whole host ({@code 10.*},
 *       {@code *corp*}), as Windows and macOS bypass lists write them.</li>
 * </ul>
 * Matching is case-insensitive; a trailing dot on the target host is ignored.
 */
public final class NoProxyRules {

    private static final Cidr LOOPBACK_V4 = Cidr.parse("127.0.0.0/8");
    private static final Cidr LOOPBACK_V6 = Cidr.parse("::1/128");

    private final List<Rule> rules;
    private final String text;

    private NoProxyRules(List<Rule> rules, String text) {
        this.rules = rules;
        this.text = text;
    }

    public static NoProxyRules none() {
        return new NoProxyRules(List.of(), "");
    }

    /** Parses a list; throws {@link IllegalArgumentException} naming the bad entry. */
    public static NoProxyRules parse(String list) {
        List<Rule> rules = new ArrayList<>();
        if (list != null) {
            addRules(list, rules);
        }
        return new NoProxyRules(List.copyOf(rules), list == null ? "" : list.trim());
    }

    /**
     * Parses entries one by one, as an OS lists them: an entry that cannot be read is passed to
     * {@code onSkipped} with the reason, and the others still apply.
     */
    public static NoProxyRules parseSkipping(List<String> entries, BiConsumer<String, String> onSkipped) {
        List<Rule> rules = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String entry : entries) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            List<Rule> fromEntry = new ArrayList<>();
            try {
                addRules(e, fromEntry);
            } catch (IllegalArgumentException ex) {
                onSkipped.accept(e, ex.getMessage());
                continue;
            }
            rules.addAll(fromEntry);
            kept.add(e);
        }
        return new NoProxyRules(List.copyOf(rules), String.join(",", kept));
    }

    private static void addRules(String list, List<Rule> rules) {
        for (String raw : list.split("[,;\\s]+")) {
            String entry = raw.trim(); // as parseSkipping: what trim removes (controls too) is no entry
            if (!entry.isEmpty()) {
                rules.add(rule(entry));
            }
        }
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    public boolean matches(String host, int port) {
        String h = normalise(host);
        for (Rule rule : rules) {
            if ((rule.port < 0 || rule.port == port) && rule.host.test(h)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    private record Rule(Predicate<String> host, int port) {
    }

    private static Rule rule(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        if (e.equals("*")) {
            return new Rule(h -> true, -1);
        }
        if (e.equals("<local>")) {
            return new Rule(NoProxyRules::isLocal, -1);
        }
        if (e.contains("/")) {
            Cidr cidr = Cidr.parse(e);
            return new Rule(cidr::contains, -1);
        }
        HostPort.Parsed hp;
        try {
            hp = HostPort.parse(e, -1);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("bad no-proxy entry '" + entry + "': " + ex.getMessage());
        }
        String host = normalise(hp.host());
        if (host.isEmpty()) {
            throw new IllegalArgumentException("bad no-proxy entry '" + entry + "': no host");
        }
        if (Cidr.isIpLiteral(host)) { // HostPort.parse reads a bare IPv6 literal as a host without a port
            byte[] ip = Cidr.literal(host);
            return new Rule(h -> java.util.Arrays.equals(ip, Cidr.literal(h)), hp.port());
        }
        if (host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.indexOf('?') < 0) {
            host = host.substring(1);
        }
        if (host.startsWith(".")) {
            String suffix = host;
            return new Rule(h -> h.endsWith(suffix), hp.port());
        }
        if (host.contains("*") || host.contains("?")) {
            String glob = host;
            return new Rule(h -> Glob.matches(h, glob), hp.port());
        }
        String exact = host;
        String sub = "." + host;
        return new Rule(h -> h.equals(exact) || h.endsWith(sub), hp.port());
    }

    private static boolean isLocal(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (Cidr.isIpLiteral(host)) {
            return LOOPBACK_V4.contains(host) || LOOPBACK_V6.contains(host);
        }
        return host.indexOf('.') < 0;
    }

    private static String normalise(String host) {
        String h = HostPort.stripBrackets(host.trim().toLowerCase(Locale.ROOT));
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
