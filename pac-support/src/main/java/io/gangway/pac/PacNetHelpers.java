package io.gangway.pac;

import io.gangway.routing.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The helpers that resolve names or compare addresses: Netscape's IPv4 set and Microsoft's
 * IPv6-aware {@code ...Ex} set. Lookups may block; the engine runs them off the I/O threads.
 */
final class PacNetHelpers {

    private final PacDns dns;
    private final Supplier<List<InetAddress>> localAddresses;

    PacNetHelpers(PacDns dns, Supplier<List<InetAddress>> localAddresses) {
        this.dns = dns;
        this.localAddresses = localAddresses;
    }

    /**
     * The first IPv4 address of {@code host}, or null (JavaScript null) when it has none. As in
     * Chrome, an argument that is missing or not a string is answered null without a lookup
     * (so {@code isInNet(dnsResolve(x), ...)} never looks up the name "null").
     */
    Object dnsResolve(Object host) {
        if (!(host instanceof CharSequence name)) {
            return null;
        }
        for (InetAddress a : addresses(name.toString())) {
            if (a instanceof Inet4Address) {
                return text(a);
            }
        }
        return null;
    }

    /**
     * Every address of {@code host}, IPv6 and IPv4, separated by semicolons; {@code ""} when
     * none; undefined for an argument that is not a string (Chrome's answer).
     */
    Object dnsResolveEx(Object host) {
        if (!(host instanceof CharSequence name)) {
            return org.mozilla.javascript.Undefined.instance;
        }
        return addresses(name.toString()).stream().map(PacNetHelpers::text).collect(Collectors.joining(";"));
    }

    /** A literal as itself; a name looked up within the call's budget (non-ASCII names as punycode). */
    private List<InetAddress> addresses(String host) {
        InetAddress literal = PacAddresses.parse(host);
        if (literal != null) {
            return List.of(literal);
        }
        String ascii;
        try {
            ascii = java.net.IDN.toASCII(host, java.net.IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        return PacLookups.lookup(dns, ascii);
    }

    /**
     * {@code isInNetEx(ip, prefix)}, Chrome's rule: null unless both are strings; false unless
     * {@code ip} is exactly an IP literal (no lookup, no whitespace) and {@code prefix} is
     * {@code address/length} (whitespace around either part allowed); an IPv4 address and an
     * IPv6 prefix (or the other way) are compared as IPv4-mapped IPv6.
     */
    Object isInNetEx(Object[] args) {
        if (args.length < 2 || !(args[0] instanceof CharSequence ipText) || !(args[1] instanceof CharSequence prefixText)) {
            return null;
        }
        InetAddress ip = PacAddresses.parse(ipText.toString());
        String[] parts = prefixText.toString().split("/", -1);
        if (ip == null || parts.length != 2) {
            return false;
        }
        InetAddress network = PacAddresses.parse(parts[0].strip());
        String length = parts[1].strip();
        if (network == null || length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int bits = Integer.parseInt(length);
        byte[] a = ip.getAddress();
        byte[] n = network.getAddress();
        if (bits > n.length * 8) {
            return false;
        }
        if (a.length != n.length) {
            if (a.length == 4) {
                a = PacAddresses.mapped((Inet4Address) ip).getAddress();
            } else {
                n = PacAddresses.mapped((Inet4Address) network).getAddress();
                bits += 96;
            }
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (n[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }


    /** The IPv4 address of the interface that routes outward (never loopback when one exists). */
    String myIpAddress() {
        for (InetAddress a : localAddresses.get()) {
            if (a instanceof Inet4Address) {
                return text(a);
            }
        }
        return "127.0.0.1";
    }

    /** All addresses of this host's outward interfaces, IPv6 and IPv4, semicolon-separated. */
    String myIpAddressEx() {
        return localAddresses.get().stream().map(PacNetHelpers::text).collect(Collectors.joining(";"));
    }

    /**
     * {@code sortIpAddressList}, Chrome's rule: null unless the argument is a string; spaces and
     * tabs removed wherever they are; empty entries skipped; false when an entry is not an IP
     * literal or none is left; otherwise IPv6 before IPv4, each in numeric order (a stable sort:
     * equal addresses keep their order), each written as it was given, duplicates kept.
     */
    static Object sortIpAddressList(Object list) {
        if (!(list instanceof CharSequence text)) {
            return null;
        }
        record Entry(String text, InetAddress address) {
        }
        List<Entry> entries = new ArrayList<>();
        for (String part : text.toString().replace(" ", "").replace("\t", "").split(";")) {
            if (part.isEmpty()) {
                continue;
            }
            InetAddress a = PacAddresses.parse(part);
            if (a == null) {
                return false;
            }
            entries.add(new Entry(part, a));
        }
        if (entries.isEmpty()) {
            return false;
        }
        entries.sort(Comparator.comparingInt((Entry e) -> e.address() instanceof Inet6Address ? 0 : 1)
                .thenComparing(e -> e.address().getAddress(), Arrays::compareUnsigned));
        return entries.stream().map(Entry::text).collect(Collectors.joining(";"));
    }

    private static String text(InetAddress a) {
        return Cidr.text(a);
    }
}
