package io.gangway.routing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fd00::/8}. */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses {@code addr/prefix}, or a single address (a full-length prefix). */
    public static Cidr parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literal(HostPort.stripBrackets(addr));
        if (bytes == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + text);
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("bad prefix length in " + text + " (0.." + bits + ")");
            }
        }
        return new Cidr(mask(bytes, prefix), prefix, s);
    }

    /** The address an IP literal stands for, or null when {@code text} is not one (never resolves names). */
    public static InetAddress literalAddress(String text) {
        return text == null ? null : address(literal(HostPort.stripBrackets(text.trim())));
    }

    /**
     * An address as text, IPv6 in its short form (RFC 5952: {@code 2001:db8::1}, not Java's
     * {@code 2001:db8:0:0:0:0:0:1}), without a zone.
     */
    public static String text(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** Whether {@code text} is an IP literal (no name resolution happens). */
    public static boolean isIpLiteral(String text) {
        return literal(HostPort.stripBrackets(text)) != null;
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            bytes = ipv4Mapped(bytes, network.length);
            if (bytes == null) {
                return false;
            }
        }
        return Arrays.equals(mask(bytes, prefix), network);
    }

    /** Matches an IP literal given as text; host names never match. */
    public boolean contains(String ipLiteral) {
        InetAddress address = address(literal(HostPort.stripBrackets(ipLiteral)));
        return address != null && contains(address);
    }

    @Override
    public String toString() {
        return text;
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) compared with an IPv4 range, or the reverse. */
    private static byte[] ipv4Mapped(byte[] bytes, int wantedLength) {
        if (bytes.length == 16 && wantedLength == 4) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return null;
                }
            }
            if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
                return null;
            }
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return null;
    }

    /** The address of literal bytes, or null for none. */
    private static InetAddress address(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Parses an IPv4 or IPv6 literal without DNS, or returns null. */
    static byte[] literal(String s) {
        if (s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            // IPv6: only hex digits, colons, dots (embedded IPv4) and a zone index are allowed,
            // so InetAddress.getByName cannot fall back to a DNS lookup.
            String noZone = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
            if (!noZone.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return null;
            }
            try {
                return InetAddress.getByName(noZone).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }
}
