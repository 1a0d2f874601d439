package io.gangway.core.policy;

import io.gangway.core.config.DestinationSettings;
import io.gangway.core.config.PortSet;
import io.gangway.core.telemetry.Telemetry;
import io.gangway.routing.Cidr;
import io.gangway.routing.HostPort;
import io.gangway.routing.Target;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Which destinations Gangway reaches for its clients: the one check between a client's request
 * and a connection, for every listener and route. Two stages:
 * <ol>
 *   <li>{@link #checkRequest}, before routing: the target as the client named it (a name or a
 *       literal) and, for a redirected connection, the address it was going to; the port of a
 *       CONNECT. Whatever the route: an upstream proxy is not asked to reach what Gangway would
 *       not reach itself.</li>
 *   <li>{@link #checkResolved}, for a DIRECT connection: every address the name resolved to. The
 *       connector then dials exactly those addresses (never the name again), so a name server
 *       cannot answer the check with one address and the connection with another (DNS
 *       rebinding). An upstream proxy resolves names itself, in its own network: Gangway does not
 *       resolve them for it, and the upstream's own address is the configuration's.</li>
 * </ol>
 * Rules, first match wins: Gangway's own listeners (the admin listener always; every listener in
 * gateway mode), never allowed back; then --allow-destination; then --deny; then, in gateway
 * mode, the built-in list ({@link SpecialAddresses}: addresses, and the names {@code localhost}
 * and of metadata services). An IPv6 address is checked as itself and as the IPv4 address it
 * embeds. Loopback-only listeners (no
 * gateway mode) and no --deny or --connect-ports: only the admin listener is refused, as before
 * this policy existed.
 */
public final class DestinationPolicy {

    private final boolean gateway;
    private final DestinationRules deny;
    private final DestinationRules allow;
    private final PortSet connectPorts;
    private final OwnListeners own;
    private final Telemetry telemetry;

    /**
     * @param gateway whether a listener that serves clients is bound beyond loopback
     *                ({@link io.gangway.core.config.Listeners#gateway()})
     */
    public DestinationPolicy(boolean gateway, DestinationSettings settings, OwnListeners own, Telemetry telemetry) {
        this.gateway = gateway;
        this.deny = settings.deny();
        this.allow = settings.allow();
        // Every port unless --connect-ports says otherwise, gateways included: a gateway's clients
        // are container engines and build hosts pulling from registries on any port (Artifactory,
        // Nexus, a test registry on 26655 in the interop suite), and a short list broke those pulls.
        // The destinations a gateway must not reach are refused by address, whatever the port.
        this.connectPorts = settings.connectPorts() != null ? settings.connectPorts() : PortSet.ALL;
        this.own = own;
        this.telemetry = telemetry;
    }

    /** No rule but the admin listener's (tests, and contexts that guard nothing). */
    public static DestinationPolicy loopbackDefault(OwnListeners own) {
        return new DestinationPolicy(false, DestinationSettings.NONE, own, Telemetry.off());
    }

    public boolean gateway() {
        return gateway;
    }

    /** What the start-up log says; null when nothing but the admin listener is refused (loopback-only, no lists). */
    public String describe() {
        if (!gateway && deny.isEmpty() && connectPorts.all()) {
            return null;
        }
        return (gateway ? "gateway mode: loopback, link-local, metadata, unspecified and multicast addresses and "
                + "Gangway's own listeners refused" : "refused: the admin listener")
                + (deny.isEmpty() ? "" : "; --deny " + deny) + (allow.isEmpty() ? "" : "; --allow-destination " + allow)
                + "; CONNECT ports " + connectPorts;
    }

    /**
     * The first stage: the target as named, and where a redirected connection was going.
     *
     * @param named   the target the client named (a CONNECT's authority, the URL, the Host or TLS server name)
     * @param direct  where a DIRECT route connects: {@code named}, or a redirected connection's original destination
     * @param connect whether this is an explicit CONNECT, which --connect-ports limits
     * @return the denial, or null when the request may go on
     */
    public Denial checkRequest(Target named, Target direct, boolean connect) {
        int port = named.port();
        if (connect && !connectPorts.contains(port)) {
            return counted(Denial.of(DenyRule.CONNECT_PORT, named.authority(), "CONNECT may reach ports " + connectPorts
                    + " only (--connect-ports" + (gateway ? "; the default in gateway mode" : "") + ")"));
        }
        Denial denial = checkHost(named);
        if (denial == null && !direct.host().equals(named.host())) {
            denial = checkHost(direct);
        }
        return counted(denial);
    }

    /**
     * The second stage, for a DIRECT connection: the addresses {@code name} resolved to, which are
     * the ones that will be dialled. A name that --allow-destination lets through is let through
     * on every address it resolves to (the allow list's author named it; a client cannot rebind it).
     *
     * @param name the name or literal that was resolved
     */
    public Denial checkResolved(String name, List<InetAddress> addresses, int port) {
        if (quiet(port)) {
            return null;
        }
        String host = normalise(name);
        boolean allowedByName = !Cidr.isIpLiteral(host) && allow.match(host, port) != null;
        for (InetAddress address : addresses) {
            Denial denial = checkAddress(address, port, allowedByName,
                    Cidr.isIpLiteral(host) ? null : HostPort.format(host, port));
            if (denial != null) {
                return counted(denial);
            }
        }
        return null;
    }

    /**
     * A published port's target, which the configuration names: only the admin listener is refused
     * (its clients are --admin-allow's), as before gateway mode existed.
     */
    public Denial checkPublished(List<InetAddress> addresses, int port) {
        for (InetAddress address : addresses) {
            if (own.reaches(address, port, false) != null) {
                return counted(adminDenial(HostPort.format(Cidr.text(address), port)));
            }
        }
        return null;
    }

    /** Whether no rule can apply on {@code port}: the fast path of loopback-only listeners. */
    private boolean quiet(int port) {
        return !gateway && deny.isEmpty() && !own.hasPort(port, false);
    }

    private Denial checkHost(Target target) {
        int port = target.port();
        if (quiet(port)) {
            return null;
        }
        String host = normalise(target.host());
        InetAddress literal = Cidr.literalAddress(host);
        if (literal != null) {
            return checkAddress(literal, port, false, null);
        }
        String subject = HostPort.format(host, port);
        boolean localhost = host.equals("localhost") || host.endsWith(".localhost");
        if (localhost) {
            Denial self = ownListener(InetAddress.getLoopbackAddress(), port, subject);
            if (self != null) {
                return self;
            }
        }
        if (allow.match(host, port) != null) {
            return null;
        }
        String entry = deny.match(host, port);
        if (entry != null) {
            return new Denial(DenyRule.DENY_LIST, subject, "it matches --deny entry '" + entry + "'", false);
        }
        SpecialAddresses.Match builtIn = gateway ? SpecialAddresses.match(host) : null;
        return builtIn == null ? null : Denial.of(builtIn.rule(), subject, builtIn.what()
                + ", which a gateway does not reach for its clients" + allowBack(host));
    }

    /**
     * One address, as itself and as the IPv4 address it embeds.
     *
     * @param allowedByName whether the name it came from is on --allow-destination
     * @param name          the name it came from ({@code host:port}), or null for a literal
     */
    private Denial checkAddress(InetAddress address, int port, boolean allowedByName, String name) {
        InetAddress embedded = SpecialAddresses.embeddedIpv4(address);
        String text = Cidr.text(address);
        String subject = name == null ? HostPort.format(text, port) : name + " (" + text + ")";
        Denial self = ownListener(address, port, subject);
        if (self == null && embedded != null) {
            self = ownListener(embedded, port, subject);
        }
        if (self != null || allowedByName || allow.match(address, port) != null
                || embedded != null && allow.match(embedded, port) != null) {
            return self;
        }
        for (InetAddress form : embedded == null ? List.of(address) : List.of(address, embedded)) {
            String entry = deny.match(form, port);
            if (entry != null) {
                return new Denial(DenyRule.DENY_LIST, subject, Cidr.text(form) + " matches --deny entry '" + entry + "'",
                        true);
            }
            SpecialAddresses.Match builtIn = gateway ? SpecialAddresses.match(form) : null;
            if (builtIn != null) {
                return Denial.of(builtIn.rule(), subject, Cidr.text(form) + " is " + builtIn.what()
                        + ", which a gateway does not reach for its clients" + allowBack(Cidr.text(form)));
            }
        }
        return null;
    }

    private Denial ownListener(InetAddress address, int port, String subject) {
        DenyRule rule = own.reaches(address, port, gateway);
        if (rule == DenyRule.ADMIN) {
            return adminDenial(subject);
        }
        return rule == null ? null : Denial.of(DenyRule.SELF, subject, "it is one of Gangway's own listeners: "
                + "a request to itself would loop (this is never allowed back)");
    }

    private static Denial adminDenial(String subject) {
        return Denial.of(DenyRule.ADMIN, subject, "it is Gangway's admin listener, which is not reachable through the "
                + "proxy (--admin-allow says who may reach it)");
    }

    private static String allowBack(String host) {
        return "; --allow-destination " + HostPort.bracket(host) + " allows it back";
    }

    private Denial counted(Denial denial) {
        if (denial != null) {
            telemetry.destinationDenied(denial.rule().label());
        }
        return denial;
    }

    /** Lower case, no brackets, no trailing dot: how names are compared. */
    private static String normalise(String host) {
        String h = HostPort.stripBrackets(host.trim().toLowerCase(Locale.ROOT));
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
