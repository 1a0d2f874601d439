package io.gangway.core.cli;

import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which common clients would read a no-proxy entry otherwise than Gangway does, if it were put
 * in their {@code NO_PROXY}. Measured on Debian 12 (curl 7.88, GNU Wget 1.21, Python 3.11's
 * urllib, requests 2.34; each asked for one URL with {@code http_proxy} and {@code no_proxy}
 * set, a listener standing for the proxy), from the documentation of Go's
 * {@code golang.org/x/net/http/httpproxy}, and from the source of Ruby's
 * {@code URI::Generic.use_proxy?} (the uri gem). The JVM and Node.js read no {@code NO_PROXY} at all.
 * That is why {@code gangway env} puts only loopback in NO_PROXY and Gangway applies the rules.
 */
final class NoProxyClients {

    private NoProxyClients() {
    }

    /** One line per entry: what Gangway does with it, and who would misread it. */
    static List<String> explain(String entries) {
        List<String> lines = new ArrayList<>();
        for (String raw : entries.split("[,;\\s]+")) {
            if (!raw.isBlank()) {
                lines.add(raw.trim() + ": " + explainOne(raw.trim()));
            }
        }
        return lines;
    }

    private static String explainOne(String entry) {
        String e = entry.toLowerCase(Locale.ROOT);
        if (e.equals("*")) {
            return "everything DIRECT; wget and Ruby would still use the proxy";
        }
        if (e.equals("<local>")) {
            return "dot-less names, localhost and loopback DIRECT; no client reads it (curl, wget, Python, Go and "
                    + "Ruby take it as a host named '<local>')";
        }
        if (e.contains("/")) {
            return "addresses in the range DIRECT; wget and Python's urllib would read it as a host name "
                    + "(curl 7.86+, requests, Go and Ruby read ranges)";
        }
        HostPort.Parsed hp;
        try {
            hp = HostPort.parse(e, -1);
        } catch (IllegalArgumentException ex) {
            return "not an entry Gangway reads (" + ex.getMessage() + ")";
        }
        String host = hp.host();
        String direct = hp.port() >= 0 ? " DIRECT on port " + hp.port() : " DIRECT";
        String port = hp.port() >= 0 ? "; with a port, curl and wget would ignore the entry (Python, Go and Ruby read ports)" : "";
        if (Cidr.isIpLiteral(host)) {
            return "that address" + direct + (host.contains(":") ? "; Python's urllib and Ruby would not match an IPv6 address" : "") + port;
        }
        if (host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.indexOf('?') < 0) {
            return "subdomains of " + host.substring(2) + direct + "; curl, wget, Python and Ruby would take '*.' literally "
                    + "and match nothing (Go reads it as '" + host.substring(1) + "')" + port;
        }
        if (host.contains("*") || host.contains("?")) {
            return "a wildcard over the whole host; no client reads wildcards inside a name" + port;
        }
        if (host.startsWith(".")) {
            return "subdomains of " + host.substring(1) + direct + ", not " + host.substring(1) + " itself; curl and Python "
                    + "would bypass " + host.substring(1) + " too (wget, Go and Ruby read it as Gangway does)" + port;
        }
        return "the host and its subdomains" + direct + (hp.port() >= 0 ? port : ", as every client reads it");
    }
}
