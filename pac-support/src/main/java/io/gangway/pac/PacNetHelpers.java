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

    /** The first IPv4 address of {@code host}, or null (JavaScript null) when it has none. */
    String dnsResolve(String host) {
        InetAddress literal = Cidr.literalAddress(host);
        if (literal != null) {
            return literal instanceof Inet4Address ? text(literal) : null;
        }
        for (InetAddress a : dns.lookup(host)) {
            if (a instanceof Inet4Address) {
                return text(a);
            }
        }
        return null;
    }

    /** Every address of {@code host}, IPv6 and IPv4, separated by semicolons; empty when none. */
    String dnsResolveEx(String host) {
        InetAddress literal = Cidr.literalAddress(host);
        List<InetAddress> all = literal != null ? List.of(literal) : dns.lookup(host);
        return all.stream().map(PacNetHelpers::text).collect(Collectors.joining(";"));
    }

    boolean isResolvable(String host) {
        return dnsResolve(host) != null;
    }

    boolean isResolvableEx(String host) {
        return !dnsResolveEx(host).isEmpty();
    }

    /**
     * Whether {@code host} (a name is resolved first) lies in {@code pattern}/{@code mask}, both
     * dotted IPv4. A mask or pattern that is not an address makes it false, as in browsers.
     */
    boolean isInNet(String host, String pattern, String mask) {
        String ip = dnsResolve(host);
        if (ip == null) {
            return false;
        }
        long p = convertAddr(pattern);
        long m = convertAddr(mask);
        if (p < 0 || m < 0) {
            return false;
        }
        return (convertAddr(ip) & m) == (p & m);
    }

    /** Whether {@code ip} (an address, or a name to resolve) lies in a prefix such as {@code fd00::/8}. */
    boolean isInNetEx(String ip, String prefix) {
        Cidr range;
        try {
            if (prefix.indexOf('/') < 0) {
                return false;
            }
            range = Cidr.parse(prefix);
        } catch (IllegalArgumentException e) {
            return false;
        }
        InetAddress literal = Cidr.literalAddress(ip);
        List<InetAddress> addresses = literal != null ? List.of(literal) : dns.lookup(ip);
        return addresses.stream().anyMatch(range::contains);
    }

    /** Dotted IPv4 to its 32-bit value; -1 when it is not one. */
    static long convertAddr(String dotted) {
        InetAddress a = Cidr.literalAddress(dotted);
        if (!(a instanceof Inet4Address)) {
            return -1;
        }
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
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
     * Sorts a semicolon-separated address list, IPv6 before IPv4, each in numeric order;
     * false (as Microsoft's) when an entry is not an address.
     */
    static Object sortIpAddressList(String list) {
        if (list == null || list.isBlank()) {
            return false;
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String part : list.split(";")) {
            InetAddress a = Cidr.literalAddress(part.trim());
            if (a == null) {
                return false;
            }
            addresses.add(a);
        }
        addresses.sort(Comparator.comparingInt((InetAddress a) -> a instanceof Inet6Address ? 0 : 1)
                .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned));
        return addresses.stream().map(PacNetHelpers::text).collect(Collectors.joining(";"));
    }

    private static String text(InetAddress a) {
        return Cidr.text(a);
    }
}
