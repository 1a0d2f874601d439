package io.gangway.core.policy;

/**
 * The rule that refused a destination: what the log line and the 403 name, and the label of the
 * {@code gangway_destinations_denied_total} counter.
 */
public enum DenyRule {
    /** 127.0.0.0/8, ::1, and the names {@code localhost} and {@code *.localhost}. */
    LOOPBACK("loopback", true),
    /** A cloud provider's instance metadata service (169.254.169.254 and its kin). */
    METADATA("metadata", true),
    /** 169.254.0.0/16 and fe80::/10: this host's links, never a destination a client names on purpose. */
    LINK_LOCAL("link-local", true),
    /** 0.0.0.0/8 and ::, which Linux connects to this host. */
    UNSPECIFIED("unspecified", true),
    /** Multicast and broadcast: no TCP peer there. */
    MULTICAST("multicast", true),
    /** A port Gangway itself listens on, on one of this host's addresses: a request would loop. */
    SELF("self", true),
    /** Gangway's admin listener: its clients are set by --admin-allow, not by being allowed to use the proxy. */
    ADMIN("admin", true),
    /** An entry of --deny. */
    DENY_LIST("deny", false),
    /** A CONNECT to a port outside --connect-ports. */
    CONNECT_PORT("connect-port", false);

    private final String label;
    private final boolean address;

    DenyRule(String label, boolean address) {
        this.label = label;
        this.address = address;
    }

    public String label() {
        return label;
    }

    /**
     * Whether the rule is about where the destination is (RFC 9209 {@code destination_ip_prohibited})
     * rather than about what was asked ({@code http_request_denied}); a --deny entry that matched an
     * address says so itself ({@link Denial#addressProhibited()}).
     */
    boolean aboutAddresses() {
        return address;
    }

    @Override
    public String toString() {
        return label;
    }
}
