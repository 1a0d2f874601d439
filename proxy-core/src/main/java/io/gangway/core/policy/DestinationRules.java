package io.gangway.core.policy;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import io.gangway.routing.NoProxyRules;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A list of destinations as {@code --deny} and {@code --allow-destination} give them, in the
 * no-proxy grammar ({@link NoProxyRules}: hosts with their subdomains, {@code .suffix}es, IP
 * literals, CIDRs, wildcards, any of them with {@code :port}) plus {@code :port} for a port on
 * every host. Each entry is kept apart so that a match names the entry that matched.
 */
public final class DestinationRules {

    private static final DestinationRules NONE = new DestinationRules(List.of());

    private record Entry(String text, NoProxyRules rule) {
    }

    private final List<Entry> entries;

    private DestinationRules(List<Entry> entries) {
        this.entries = entries;
    }

    public static DestinationRules none() {
        return NONE;
    }

    /** Parses the entries; an IllegalArgumentException says what an entry should have been. */
    public static DestinationRules parse(List<String> entries) {
        List<Entry> parsed = new ArrayList<>();
        for (String raw : entries) {
            String text = raw.trim();
            if (!text.isEmpty()) {
                try {
                    parsed.add(new Entry(text, rule(text)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(e.getMessage() + "; got '" + text + "'", e);
                }
            }
        }
        return parsed.isEmpty() ? NONE : new DestinationRules(List.copyOf(parsed));
    }

    private static NoProxyRules rule(String text) {
        String entry = text.startsWith(":") ? "*" + text : text; // ":25": port 25 of every host
        if (entry.contains("/")) {
            Cidr.parse(entry); // its own message names the bad range
        } else {
            try {
                HostPort.Parsed hp = HostPort.parse(entry, -1);
                if (hp.host().isEmpty() || hp.port() == 0) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(expected());
            }
        }
        NoProxyRules rule = NoProxyRules.parse(entry);
        if (rule.isEmpty() || rule.toString().split("[,;\\s]+").length != 1) {
            throw new IllegalArgumentException(expected());
        }
        return rule;
    }

    private static String expected() {
        return "expected a host (with its subdomains), .domain, IP address, CIDR range, host:port or :port";
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The first entry that matches a host name or IP literal on {@code port}, or null. */
    String match(String host, int port) {
        for (Entry e : entries) {
            if (e.rule().matches(host, port)) {
                return e.text();
            }
        }
        return null;
    }

    /** The first entry that matches an address on {@code port}, or null. */
    String match(InetAddress address, int port) {
        return entries.isEmpty() ? null : match(Cidr.text(address), port);
    }

    @Override
    public String toString() {
        return String.join(",", entries.stream().map(Entry::text).toList());
    }
}
