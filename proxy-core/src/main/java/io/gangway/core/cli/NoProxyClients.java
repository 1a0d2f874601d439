package io.gangway.core.cli;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * How common clients read each form of {@code NO_PROXY} entry, beside how Gangway reads it: the
 * one table behind {@code gangway env --explain} and the user guide's table. curl 7.88, GNU Wget
 * 1.21, Python 3.11's urllib and requests 2.34 were measured on Debian 12 (each asked for one URL
 * with {@code http_proxy} and {@code no_proxy} set, a listener standing for the proxy); Go from
 * the source of {@code golang.org/x/net/http/httpproxy}, Ruby from that of
 * {@code URI::Generic.use_proxy?} (the uri gem). The JVM and Node.js read no {@code NO_PROXY}.
 * That is why {@code gangway env} puts only loopback in NO_PROXY and Gangway applies the rules.
 */
final class NoProxyClients {

    static final List<String> CLIENTS = List.of("curl 7.88", "wget 1.21", "Python urllib 3.11", "requests 2.34", "Go", "Ruby");

    private static final String ALSO_APEX = "also the domain itself";
    private static final String LITERAL = "nothing (a literal name)";
    private static final String IGNORED = "ignores the entry";
    private static final String NO_MATCH = "no match";
    private static final String HOST_NAME = "a host name (no match)";

    /** One form of entry: an example, Gangway's reading, then each client's where it differs (null: the same). */
    enum Form {
        NAME("example.com", "the host and its subdomains", null, null, null, null, null, null),
        DOT_SUFFIX(".example.com", "subdomains only", ALSO_APEX, null, ALSO_APEX, ALSO_APEX, null, null),
        STAR_SUFFIX("*.example.com", "subdomains only", LITERAL, LITERAL, LITERAL, LITERAL, null, LITERAL),
        IPV4("10.1.2.3", "that address", null, null, null, null, null, null),
        IPV4_RANGE("10.0.0.0/8", "addresses in the range", null, HOST_NAME, HOST_NAME, null, null, null),
        IPV6("::1", "that address", null, null, NO_MATCH, null, null, NO_MATCH),
        IPV6_BRACKETED("[::1]", "that address", NO_MATCH, NO_MATCH, null, NO_MATCH, NO_MATCH, NO_MATCH),
        IPV6_RANGE("fd00::/8", "addresses in the range", NO_MATCH, HOST_NAME, HOST_NAME, NO_MATCH, null, NO_MATCH),
        NAME_PORT("example.com:8080", "the host and its subdomains, that port only", IGNORED, IGNORED, null, null, null, null),
        IPV4_PORT("10.1.2.3:8080", "that address, that port only", IGNORED, IGNORED, null, IGNORED, null, null),
        IPV6_PORT("[::1]:8080", "that address, that port only", NO_MATCH, NO_MATCH, null, NO_MATCH, null, NO_MATCH),
        EVERYTHING("*", "everything", null, "no bypass at all", null, null, null, "no bypass at all"),
        LOCAL("<local>", "dot-less names, localhost and loopback", "a host named `<local>`", "a host named `<local>`",
                "a host named `<local>`", "a host named `<local>`", "a host named `<local>`", "a host named `<local>`"),
        WILDCARD("10.*", "a wildcard over the whole host", LITERAL, LITERAL, LITERAL, LITERAL, LITERAL, LITERAL);

        final String example;
        final String gangway;
        final List<String> clients;

        Form(String example, String gangway, String curl, String wget, String urllib, String requests, String go, String ruby) {
            this.example = example;
            this.gangway = gangway;
            this.clients = java.util.Arrays.asList(curl, wget, urllib, requests, go, ruby);
        }

        /** The clients that read it otherwise than Gangway, with how. */
        String misreadBy() {
            StringJoiner who = new StringJoiner("; ");
            for (int i = 0; i < CLIENTS.size(); i++) {
                if (clients.get(i) != null) {
                    who.add(CLIENTS.get(i) + ": " + clients.get(i).replace("`", "'"));
                }
            }
            return who.length() == 0 ? "every client reads it alike" : "read otherwise by " + who;
        }
    }

    private NoProxyClients() {
    }

    /** One line per entry: what Gangway does with it, and who would misread it. */
    static List<String> explain(String entries) {
        List<String> lines = new ArrayList<>();
        for (String raw : entries.split("[,;\\s]+")) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Form form = formOf(entry);
            lines.add(entry + ": " + (form == null ? "not an entry Gangway reads"
                    : "Gangway sends " + form.gangway + " DIRECT; " + form.misreadBy()));
        }
        return lines;
    }

    /** The form of an entry, or null when Gangway would not read it. */
    static Form formOf(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        if (e.equals("*")) {
            return Form.EVERYTHING;
        }
        if (e.equals("<local>")) {
            return Form.LOCAL;
        }
        if (e.contains("/")) {
            try {
                return Cidr.parse(e).toString().contains(":") ? Form.IPV6_RANGE : Form.IPV4_RANGE;
            } catch (IllegalArgumentException ex) {
                return null;
            }
        }
        HostPort.Parsed hp;
        try {
            hp = HostPort.parse(e, -1);
        } catch (IllegalArgumentException ex) {
            return null;
        }
        String host = hp.host();
        boolean port = hp.port() >= 0;
        if (Cidr.isIpLiteral(host)) {
            if (!host.contains(":")) {
                return port ? Form.IPV4_PORT : Form.IPV4;
            }
            return port ? Form.IPV6_PORT : e.startsWith("[") ? Form.IPV6_BRACKETED : Form.IPV6;
        }
        if (host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.indexOf('?') < 0) {
            return Form.STAR_SUFFIX;
        }
        if (host.contains("*") || host.contains("?")) {
            return Form.WILDCARD;
        }
        if (host.startsWith(".")) {
            return Form.DOT_SUFFIX;
        }
        return port ? Form.NAME_PORT : Form.NAME;
    }

    /** The user guide's table, made from the same rows. */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| entry in NO_PROXY | Gangway | " + String.join(" | ", CLIENTS) + " |\n|");
        table.append("---|".repeat(CLIENTS.size() + 2)).append('\n');
        for (Form form : Form.values()) {
            table.append("| `").append(form.example).append("` | ").append(form.gangway);
            for (String reading : form.clients) {
                table.append(" | ").append(reading == null ? "same" : reading);
            }
            table.append(" |\n");
        }
        return table.toString();
    }
}
