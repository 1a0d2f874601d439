package io.gangway.core.policy;

import io.gangway.routing.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The addresses a gateway never reaches for its clients unless told to (--allow-destination), and
 * the IPv4 address an IPv6 one stands for. Checked on every form of an address: a client must not
 * get to 127.0.0.1 by writing {@code [::ffff:127.0.0.1]}, nor to the metadata service through a
 * NAT64 or 6to4 address that embeds 169.254.169.254 (Smokescreen refuses those forms too).
 */
final class SpecialAddresses {

    private record Range(Cidr cidr, DenyRule rule, String what) {
        Range(String cidr, DenyRule rule, String what) {
            this(Cidr.parse(cidr), rule, what);
        }
    }

    /** The most specific first: a metadata address is named as such, not as link-local. */
    private static final List<Range> RANGES = List.of(
            new Range("169.254.169.254/32", DenyRule.METADATA, "the instance metadata service of AWS, GCP, Azure and others"),
            new Range("169.254.170.2/32", DenyRule.METADATA, "the ECS task metadata and credentials service"),
            new Range("fd00:ec2::254/128", DenyRule.METADATA, "the AWS instance metadata service over IPv6"),
            new Range("100.100.100.200/32", DenyRule.METADATA, "the Alibaba Cloud metadata service"),
            new Range("169.254.0.0/16", DenyRule.LINK_LOCAL, "a link-local address"),
            new Range("fe80::/10", DenyRule.LINK_LOCAL, "a link-local address"),
            new Range("127.0.0.0/8", DenyRule.LOOPBACK, "a loopback address"),
            new Range("::1/128", DenyRule.LOOPBACK, "the loopback address"),
            new Range("0.0.0.0/8", DenyRule.UNSPECIFIED, "an unspecified address, which reaches this host"),
            new Range("::/128", DenyRule.UNSPECIFIED, "the unspecified address, which reaches this host"),
            new Range("224.0.0.0/4", DenyRule.MULTICAST, "a multicast address"),
            new Range("255.255.255.255/32", DenyRule.MULTICAST, "the broadcast address"),
            new Range("ff00::/8", DenyRule.MULTICAST, "a multicast address"));

    /**
     * Names of metadata services, refused as names: through an upstream proxy Gangway does not
     * resolve them, and the upstream may stand in the same cloud.
     */
    private static final java.util.Set<String> METADATA_NAMES = java.util.Set.of(
            "metadata.google.internal", "metadata.goog", "instance-data.ec2.internal");

    private SpecialAddresses() {
    }

    /** The built-in rule a host name (lower case, no trailing dot) falls under, or null. */
    static Match match(String name) {
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return new Match(DenyRule.LOOPBACK, "the name " + name + " always means this host's loopback (RFC 6761)");
        }
        if (METADATA_NAMES.contains(name)) {
            return new Match(DenyRule.METADATA, "the name of a cloud metadata service");
        }
        return null;
    }

    /** The built-in rule {@code address} falls under, said as "rule: what (range)", or null. */
    static Match match(InetAddress address) {
        for (Range r : RANGES) {
            if (r.cidr().contains(address)) {
                return new Match(r.rule(), r.what() + " (" + r.cidr() + ")");
            }
        }
        return null;
    }

    record Match(DenyRule rule, String what) {
    }

    /**
     * The IPv4 address an IPv6 address embeds and leads to, or null: IPv4-mapped
     * ({@code ::ffff:a.b.c.d}, which a dual-stack socket connects over IPv4), IPv4-translated
     * ({@code ::ffff:0:a.b.c.d}), IPv4-compatible ({@code ::a.b.c.d}, except {@code ::} and
     * {@code ::1}), NAT64 ({@code 64:ff9b::/96} and the local-use {@code 64:ff9b:1::/48}), 6to4
     * ({@code 2002:AABB:CCDD::/48}) and Teredo's client ({@code 2001:0::/32}, the last 32 bits
     * inverted).
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return null;
        }
        byte[] b = address.getAddress();
        if (zero(b, 0, 10) && (b[10] & b[11] & 0xff) == 0xff              // ::ffff:a.b.c.d
                || zero(b, 0, 8) && (b[8] & b[9] & 0xff) == 0xff && zero(b, 10, 12) // ::ffff:0:a.b.c.d
                || zero(b, 0, 12) && !zero(b, 12, 15)                    // ::a.b.c.d, not :: or ::1
                || word(b, 0) == 0x0064 && word(b, 2) == 0xff9b && (zero(b, 4, 12) || word(b, 4) == 0x0001)) {
            return v4(b[12], b[13], b[14], b[15]);
        }
        if (word(b, 0) == 0x2002) {
            return v4(b[2], b[3], b[4], b[5]);
        }
        if (word(b, 0) == 0x2001 && word(b, 2) == 0x0000) {
            return v4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]);
        }
        return null;
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int word(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    private static InetAddress v4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }
}
