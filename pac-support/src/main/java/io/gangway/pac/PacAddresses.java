package io.gangway.pac;

import io.gangway.routing.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * IP literals as the PAC helpers read them, strictly (Chrome's rule): an IPv6 address when the
 * text has a colon, else a dotted IPv4 address; no brackets, no zone, no surrounding whitespace.
 */
final class PacAddresses {

    private PacAddresses() {
    }

    /** The address written in {@code text}, or null when it is not exactly an IP literal. */
    static InetAddress parse(String text) {
        if (text.isEmpty() || text.indexOf('[') >= 0 || text.indexOf('%') >= 0 || !text.strip().equals(text)
                || text.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        if (text.indexOf(':') >= 0) {
            InetAddress a = Cidr.literalAddress(text);
            // Java reads ::ffff:a.b.c.d as an IPv4 address; written with colons, it is an IPv6 one
            return a instanceof Inet4Address v4 ? mapped(v4) : a;
        }
        return dottedQuad(text) ? Cidr.literalAddress(text) : null;
    }

    /** {@code a.b.c.d} as the IPv6 address {@code ::ffff:a.b.c.d}. */
    static InetAddress mapped(Inet4Address v4) {
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4.getAddress(), 0, v6, 12, 4);
        try {
            return java.net.Inet6Address.getByAddress(null, v6, -1);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Four decimal parts of 0 to 255. */
    static boolean dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }
}
