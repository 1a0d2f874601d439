package io.gangway.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigLoader;
import io.gangway.core.config.DestinationSettings;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.config.PortSet;
import io.gangway.core.telemetry.Telemetry;
import io.gangway.routing.Target;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of the destination policy, decided without a connection (the sockets: GatewayDestinationsTest). */
class DestinationPolicyTest {

    private static final int ADMIN = 9180;
    private static final int PROXY = 3128;

    private static OwnListeners listening() throws Exception {
        OwnListeners own = new OwnListeners();
        own.opened(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), PROXY), false);
        own.opened(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), ADMIN), true);
        return own;
    }

    private static DestinationPolicy policy(boolean gateway, List<String> deny, List<String> allow, String ports)
            throws Exception {
        return new DestinationPolicy(gateway, new DestinationSettings(DestinationRules.parse(deny),
                DestinationRules.parse(allow), ports == null ? null : PortSet.parse(ports)), listening(), Telemetry.off());
    }

    private static String rule(DestinationPolicy policy, String host, int port) {
        Target t = new Target("http", host, port);
        Denial d = policy.checkRequest(t, t, false);
        return d == null ? "allowed" : d.rule().label();
    }

    private static String resolved(DestinationPolicy policy, String name, int port, InetAddress... addresses) {
        Denial d = policy.checkResolved(name, List.of(addresses), port);
        return d == null ? "allowed" : d.rule().label();
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void aGatewayRefusesTheBuiltInRangesInEveryFormTheyCanBeWritten() throws Exception {
        DestinationPolicy gateway = policy(true, List.of(), List.of(), null);
        Map<String, String> cases = Map.ofEntries(
                Map.entry("127.0.0.1", "loopback"), Map.entry("127.1.2.3", "loopback"), Map.entry("::1", "loopback"),
                Map.entry("[::1]", "loopback"), Map.entry("::ffff:127.0.0.1", "loopback"), Map.entry("::ffff:0:7f00:1", "loopback"),
                Map.entry("64:ff9b::7f00:1", "loopback"), Map.entry("64:ff9b:1::7f00:1", "loopback"),
                Map.entry("2002:7f00:1::", "loopback"), Map.entry("2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"),
                Map.entry("metadata.google.internal", "metadata"), Map.entry("Metadata.Goog.", "metadata"),
                Map.entry("instance-data.ec2.internal", "metadata"), Map.entry("metadata.example", "allowed"),
                Map.entry("localhost", "loopback"), Map.entry("LocalHost.", "loopback"), Map.entry("api.localhost", "loopback"),
                Map.entry("169.254.169.254", "metadata"), Map.entry("169.254.170.2", "metadata"),
                Map.entry("fd00:ec2::254", "metadata"), Map.entry("100.100.100.200", "metadata"),
                Map.entry("::ffff:a9fe:a9fe", "metadata"), Map.entry("169.254.0.1", "link-local"), Map.entry("fe80::1", "link-local"),
                Map.entry("0.0.0.0", "unspecified"), Map.entry("0.1.2.3", "unspecified"), Map.entry("::", "unspecified"),
                Map.entry("239.1.1.1", "multicast"), Map.entry("ff02::1", "multicast"), Map.entry("255.255.255.255", "multicast"),
                Map.entry("10.1.2.3", "allowed"), Map.entry("192.168.1.1", "allowed"), Map.entry("2001:db8::1", "allowed"),
                Map.entry("registry.corp.example", "allowed"), Map.entry("100.64.0.1", "allowed"),
                Map.entry("64:ff9b::a00:1", "allowed"));
        cases.forEach((host, expected) -> assertThat(rule(gateway, host, 80)).as(host).isEqualTo(expected));
    }

    @Test
    void resolvedAddressesAreCheckedEachAndOneDeniedAddressDeniesTheName() throws Exception {
        DestinationPolicy gateway = policy(true, List.of(), List.of(), null);
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
        assertThat(resolved(gateway, "ok.example", 80, ip("10.0.0.1"), ip("2001:db8::1"))).isEqualTo("allowed");
        assertThat(resolved(gateway, "rebind.example", 80, ip("10.0.0.1"), ip("127.0.0.1"))).isEqualTo("loopback");
        assertThat(resolved(gateway, "aaaa.example", 80, Inet6Address.getByAddress("aaaa.example", mapped, -1)))
                .as("an IPv4-mapped answer that Java keeps as IPv6").isEqualTo("metadata");
        Denial d = gateway.checkResolved("metadata.google.internal", List.of(ip("169.254.169.254")), 80);
        assertThat(d.message()).isEqualTo("metadata.google.internal:80 (169.254.169.254) is refused by the destination "
                + "policy (rule metadata): 169.254.169.254 is the instance metadata service of AWS, GCP, Azure and others "
                + "(169.254.169.254/32), which a gateway does not reach for its clients; --allow-destination 169.254.169.254 "
                + "allows it back");
        assertThat(d.addressProhibited()).isTrue();
    }

    @Test
    void allowDestinationOpensTheListsButNotGangwaysOwnListeners() throws Exception {
        DestinationPolicy p = policy(true, List.of("10.0.0.0/8"), List.of("127.0.0.1", "10.1.0.0/16", "svc.internal"), "*");
        assertThat(rule(p, "127.0.0.1", 8080)).isEqualTo("allowed");
        assertThat(rule(p, "::ffff:127.0.0.1", 8080)).as("the mapped form is the same address").isEqualTo("allowed");
        assertThat(rule(p, "127.0.0.2", 8080)).isEqualTo("loopback");
        assertThat(rule(p, "10.1.2.3", 80)).as("an exception within a --deny range").isEqualTo("allowed");
        assertThat(rule(p, "10.2.0.1", 80)).isEqualTo("deny");
        assertThat(rule(p, "127.0.0.1", PROXY)).isEqualTo("self");
        assertThat(rule(p, "127.0.0.1", ADMIN)).isEqualTo("admin");
        assertThat(rule(p, "localhost", PROXY)).isEqualTo("self");
        // a name on the allow list is let through on what it resolves to; Gangway itself still not
        assertThat(resolved(p, "svc.internal", 8080, ip("127.0.0.1"))).isEqualTo("allowed");
        assertThat(resolved(p, "svc.internal", PROXY, ip("127.0.0.1"))).isEqualTo("self");
        assertThat(resolved(p, "other.internal", 8080, ip("127.0.0.2"))).isEqualTo("loopback");
        assertThat(resolved(p, "other.internal", 8080, ip("127.0.0.1"))).as("allowed back by its address").isEqualTo("allowed");
    }

    @Test
    void withoutAGatewayOnlyTheAdminListenerAndTheGivenListsApply() throws Exception {
        DestinationPolicy quiet = policy(false, List.of(), List.of(), null);
        for (String host : new String[] {"127.0.0.1", "localhost", "169.254.169.254", "::ffff:127.0.0.1", "0.0.0.0"}) {
            assertThat(rule(quiet, host, 8080)).as(host).isEqualTo("allowed");
        }
        assertThat(rule(quiet, "127.0.0.1", PROXY)).as("its own proxy port: as before, no rule").isEqualTo("allowed");
        assertThat(rule(quiet, "127.0.0.1", ADMIN)).isEqualTo("admin");
        assertThat(rule(quiet, "localhost", ADMIN)).isEqualTo("admin");
        Target connect = new Target("https", "example.com", 25);
        assertThat(quiet.checkRequest(connect, connect, true)).as("every CONNECT port").isNull();
        assertThat(quiet.describe()).isNull();

        DestinationPolicy given = policy(false, List.of(".corp.example", ":25", "[::1]:8080"), List.of(), "443");
        assertThat(rule(given, "build.corp.example", 80)).isEqualTo("deny");
        assertThat(rule(given, "corp.example", 80)).as(".suffix: subdomains only").isEqualTo("allowed");
        assertThat(rule(given, "mail.example", 25)).isEqualTo("deny");
        assertThat(rule(given, "::1", 8080)).isEqualTo("deny");
        assertThat(rule(given, "::1", 8081)).isEqualTo("allowed");
        assertThat(given.checkRequest(connect, connect, true).rule()).isEqualTo(DenyRule.CONNECT_PORT);
        Target tls = new Target("https", "example.com", 443);
        assertThat(given.checkRequest(tls, tls, true)).isNull();
    }

    @Test
    void aRedirectedConnectionIsCheckedOnWhereItWasGoingAsWellAsOnItsName() throws Exception {
        DestinationPolicy gateway = policy(true, List.of(), List.of("registry.corp.example"), null);
        Target named = new Target("https", "registry.corp.example", 443);
        assertThat(gateway.checkRequest(named, new Target("https", "10.0.0.5", 443), false)).isNull();
        Denial d = gateway.checkRequest(named, new Target("https", "169.254.169.254", 443), false);
        assertThat(d.rule()).as("an allowed server name does not open the address it was sent to").isEqualTo(DenyRule.METADATA);
    }

    @Test
    void aPublishedTargetIsRefusedOnlyWhenItIsTheAdminListener() throws Exception {
        DestinationPolicy gateway = policy(true, List.of("127.0.0.0/8"), List.of(), null);
        assertThat(gateway.checkPublished(List.of(ip("127.0.0.1")), 8080)).isNull();
        assertThat(gateway.checkPublished(List.of(ip("127.0.0.1")), PROXY)).isNull();
        assertThat(gateway.checkPublished(List.of(ip("127.0.0.1")), ADMIN).rule()).isEqualTo(DenyRule.ADMIN);
    }

    @Test
    void theUserGuidesGatewayExampleReadsAsItSays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("user.dir"))
                .resolveSibling("docs").resolve("user-guide.md"));
        String section = guide.substring(guide.indexOf("## Gateway mode"));
        int start = section.indexOf("```yaml\n") + 8;
        java.nio.file.Path yaml = dir.resolve("gangway.yaml");
        java.nio.file.Files.writeString(yaml, section.substring(start, section.indexOf("```", start)));
        GangwayConfig c = ConfigLoader.load(yaml, Map.of(), Map.of());
        assertThat(c.listeners().gateway()).isTrue();
        DestinationPolicy p = new DestinationPolicy(true, c.destinations(), new OwnListeners(), Telemetry.off());
        assertThat(rule(p, "10.20.1.1", 80)).isEqualTo("deny");
        assertThat(rule(p, "db.prod.corp.example", 5432)).isEqualTo("deny");
        assertThat(rule(p, "mail.example", 25)).isEqualTo("deny");
        assertThat(rule(p, "127.0.0.1", 5000)).isEqualTo("allowed");
        assertThat(rule(p, "127.0.0.1", 5001)).isEqualTo("loopback");
        Target ssh = new Target("https", "git.corp.example", 22);
        assertThat(p.checkRequest(ssh, ssh, true)).isNull();
        Target alt = new Target("https", "git.corp.example", 8443);
        assertThat(p.checkRequest(alt, alt, true).rule()).isEqualTo(DenyRule.CONNECT_PORT);
    }

    @Test
    void badEntriesAreRefusedAtStartSayingWhatWasExpected() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_DENY", "10.0.0.0/33"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("GANGWAY_DENY").hasMessageContaining("bad prefix length");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_ALLOW_DESTINATION", "host:99999"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("expected a host (with its subdomains), .domain, IP address, CIDR range, host:port or :port; got 'host:99999'");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("GANGWAY_CONNECT_PORTS", "443,ssh"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'ssh' is not a port");
        GangwayConfig c = ConfigLoader.load(null, Map.of("GANGWAY_DENY", "a.example, .b.example", "GANGWAY_CONNECT_PORTS", "*"), Map.of());
        assertThat(c.destinations().deny()).hasToString("a.example,.b.example");
        assertThat(c.destinations().connectPorts().all()).isTrue();
        assertThat(GangwayConfig.defaults().destinations().connectPorts()).as("not given: the mode's default").isNull();
        assertThat(GangwayConfig.defaults().listeners().gateway()).isFalse();
    }
}
