package io.gangway.pac;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * WPAD by DNS: {@code http://wpad.<domain>/wpad.dat} for this host's domain and each search
 * domain, walking up one label at a time but never to a top-level domain, nor to a two-letter
 * country's second level ({@code wpad.co.uk}, which anyone could register). The first candidate
 * whose name resolves and which serves a PAC wins, and is asked again on refresh; when it stops
 * answering, discovery starts over.
 */
public final class WpadDiscovery implements PacSource {

    private final List<String> domains;
    private final PacDns dns;
    private final Duration timeout;
    private final int port;
    private PacLoader found;

    public WpadDiscovery(List<String> domains, PacDns dns, Duration timeout) {
        this(domains, dns, timeout, 80);
    }

    /** With another port than 80, for tests. */
    WpadDiscovery(List<String> domains, PacDns dns, Duration timeout, int port) {
        this.domains = List.copyOf(domains);
        this.dns = dns;
        this.timeout = timeout;
        this.port = port;
    }

    /** Discovery from this host's domain and the search domains of {@code /etc/resolv.conf}. */
    public static WpadDiscovery system(Duration timeout) {
        List<String> domains = new ArrayList<>();
        String own = ownDomain();
        if (own != null) {
            domains.add(own);
        }
        try {
            domains.addAll(searchDomains(Files.readString(Path.of("/etc/resolv.conf"))));
        } catch (IOException | RuntimeException e) {
            // no resolv.conf (Windows, macOS): the host's own domain only
        }
        return new WpadDiscovery(domains, PacDns.system(), timeout);
    }

    @Override
    public PacLoader.Loaded load() throws PacException {
        if (found != null) {
            try {
                return found.load();
            } catch (PacException e) {
                found.close();
                found = null; // it moved or went away: discover again
            }
        }
        List<String> tried = new ArrayList<>();
        for (String host : candidates(domains)) {
            if (dns.lookup(host).isEmpty()) {
                tried.add(host + " (no such name)");
                continue;
            }
            PacLoader loader = new PacLoader("http://" + host + (port == 80 ? "" : ":" + port) + "/wpad.dat", timeout, dns);
            try {
                PacLoader.Loaded loaded = loader.load();
                found = loader;
                return loaded;
            } catch (PacException e) {
                loader.close();
                tried.add(e.getMessage());
            }
        }
        throw new PacException("WPAD found no PAC" + (tried.isEmpty() ? " (no DNS domain known)" : ": "
                + String.join("; ", tried)));
    }

    @Override
    public String location() {
        return found != null ? found.location() + " (WPAD)" : "WPAD (wpad.<domain> for " + domains + ")";
    }

    @Override
    public void close() {
        if (found != null) {
            found.close();
        }
    }

    /** The WPAD host names to try, most specific first. */
    static List<String> candidates(List<String> domains) {
        Set<String> out = new LinkedHashSet<>();
        for (String domain : domains) {
            String d = domain.toLowerCase(Locale.ROOT).replaceAll("^\\.+|\\.+$", "");
            while (!d.isEmpty() && allowed(d)) {
                out.add("wpad." + d);
                int dot = d.indexOf('.');
                d = dot < 0 ? "" : d.substring(dot + 1);
            }
        }
        return List.copyOf(out);
    }

    /** Second-level labels that countries hand out to the public ({@code co.uk}, {@code com.au}). */
    private static final Set<String> PUBLIC_SECOND_LEVEL = Set.of("co", "com", "net", "org", "gov", "edu",
            "ac", "or", "ne", "go", "gob", "nic", "mil", "ltd", "plc");

    /** Not a TLD, and not a country's public second level. */
    private static boolean allowed(String domain) {
        String[] labels = domain.split("\\.");
        if (labels.length < 2) {
            return false;
        }
        return !(labels.length == 2 && labels[1].length() == 2 && PUBLIC_SECOND_LEVEL.contains(labels[0]));
    }

    /** The {@code search} and {@code domain} entries of a resolv.conf, in order. */
    static List<String> searchDomains(String resolvConf) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : resolvConf.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length > 1 && (words[0].equals("search") || words[0].equals("domain"))) {
                for (int i = 1; i < words.length && !words[i].startsWith("#"); i++) {
                    out.add(words[i]);
                }
            }
        }
        return List.copyOf(out);
    }

    private static String ownDomain() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            int dot = name.indexOf('.');
            return dot > 0 && !Character.isDigit(name.charAt(name.length() - 1)) ? name.substring(dot + 1) : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
