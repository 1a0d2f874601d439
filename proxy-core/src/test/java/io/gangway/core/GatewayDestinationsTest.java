package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway mode over real sockets: Gangway listens on a local address that is not loopback (one
 * end of a veth pair), so its destination policy is in force, and clients on that address ask it
 * for loopback, metadata and its own listeners. Nothing here addresses anything outside this
 * machine: the denied metadata forms are refused before any connection is made, which the counts
 * of upstream connections and the loopback origin's own count show.
 */
class GatewayDestinationsTest {

    @RegisterExtension
    static final VethAddress veth = new VethAddress();

    private static final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();
    /** An origin on the veth address, where a gateway may go. */
    private static RawServer onVeth;
    /** An origin on loopback at the same port, where it may not. */
    private static RawServer onLoopback;
    private static int port;

    @BeforeAll
    static void origins() throws IOException {
        for (int attempt = 0; onLoopback == null; attempt++) {
            onVeth = new RawServer(new InetSocketAddress(VethAddress.ADDRESS, 0), RawServer.answering("veth"));
            try {
                onLoopback = new RawServer(new InetSocketAddress("127.0.0.1", onVeth.port()), RawServer.answering("loopback"));
            } catch (BindException taken) {
                onVeth.close();
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
        port = onVeth.port();
    }

    @AfterAll
    static void closeOrigins() throws IOException {
        if (onVeth != null) {
            onVeth.close();
            onLoopback.close();
        }
    }

    /** The test's name server: a few names under .test, counted; anything else is unknown (no outside lookup). */
    private static InetAddress[] lookup(String host) throws UnknownHostException {
        int n = lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        InetAddress vethAddress = InetAddress.getByName(VethAddress.ADDRESS);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        return switch (host) {
            case "veth.gangway.test", "veth.direct.test" -> new InetAddress[] {vethAddress};
            case "loopback.gangway.test", "loopback.direct.test" -> new InetAddress[] {loopback};
            case "mixed.gangway.test" -> new InetAddress[] {vethAddress, loopback};
            // spellings of 127.0.0.1 that are no literal to Gangway but that resolvers read as one (Java's, without DNS)
            case "127.1", "2130706433" -> InetAddress.getAllByName(host);
            // an IPv4-mapped IPv6 address, as an AAAA answer could give it: a dual-stack socket would reach 127.0.0.1
            case "mapped.gangway.test" -> new InetAddress[] {Inet6Address.getByAddress(host,
                    new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}, -1)};
            // DNS rebinding: an allowed answer, then a denied one, and so on
            case "rebind.gangway.test" -> new InetAddress[] {n % 2 == 1 ? vethAddress : loopback};
            default -> throw new UnknownHostException(host + " (the test's name server knows a few .test names only)");
        };
    }

    private static int looked(String host) {
        AtomicInteger n = lookups.get(host);
        return n == null ? 0 : n.get();
    }

    private static RunningGangway.Builder gateway() {
        return RunningGangway.builder().with(ConfigKey.LISTEN, VethAddress.ADDRESS + ":0")
                .with(ConfigKey.ALLOW, "198.18.23.0/24").with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").names(GatewayDestinationsTest::lookup);
    }

    private static InetSocketAddress at(RunningGangway gangway) {
        return new InetSocketAddress(VethAddress.ADDRESS, gangway.port());
    }

    /** A plain request through the gateway, as a client on the veth address sends it: the whole response. */
    private static String get(InetSocketAddress gangway, String url) throws IOException {
        return RawClient.get(gangway, VethAddress.ADDRESS, url);
    }

    private static String connect(InetSocketAddress gangway, String authority) throws IOException {
        return RawClient.connect(gangway, VethAddress.ADDRESS, authority);
    }

    private static String metrics(RunningGangway gangway) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gangway.adminPort()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aDestinationOnTheGatewaysOwnNetworkIsReachedByAddressAndByName() throws Exception {
        try (RunningGangway gangway = gateway().start()) {
            assertThat(get(at(gangway), "http://" + VethAddress.ADDRESS + ":" + port + "/")).startsWith("HTTP/1.1 200").endsWith("veth");
            assertThat(get(at(gangway), "http://veth.gangway.test:" + port + "/")).startsWith("HTTP/1.1 200").endsWith("veth");
        }
    }

    @Test
    void loopbackIsRefusedAsALiteralAsTheNameLocalhostAndOnceANameResolvesToIt() throws Exception {
        int before = onLoopback.connections();
        try (RunningGangway gangway = gateway().start(); AccessLogCapture logs = new AccessLogCapture()) {
            assertThat(get(at(gangway), "http://127.0.0.1:" + port + "/")).startsWith("HTTP/1.1 403")
                    .contains("Proxy-Status: gangway; error=destination_ip_prohibited")
                    .contains("127.0.0.1:" + port + " is refused by the destination policy (rule loopback)")
                    .contains("--allow-destination 127.0.0.1 allows it back");
            assertThat(get(at(gangway), "http://localhost:" + port + "/")).startsWith("HTTP/1.1 403")
                    .contains("error=destination_ip_prohibited").contains("(rule loopback)").contains("RFC 6761");
            assertThat(get(at(gangway), "http://loopback.gangway.test:" + port + "/")).startsWith("HTTP/1.1 403")
                    .contains("error=destination_ip_prohibited")
                    .contains("loopback.gangway.test:" + port + " (127.0.0.1) is refused by the destination policy (rule loopback)");
            // one denied answer among allowed ones is enough: no address of it is dialled
            assertThat(get(at(gangway), "http://mixed.gangway.test:" + port + "/")).startsWith("HTTP/1.1 403");
            for (String spelling : new String[] {"127.1", "2130706433"}) {
                assertThat(get(at(gangway), "http://" + spelling + ":" + port + "/")).as(spelling).startsWith("HTTP/1.1 403")
                        .contains(spelling + ":" + port + " (127.0.0.1) is refused by the destination policy (rule loopback)");
            }
            assertThat(looked("localhost")).as("refused by its name, not looked up").isZero();
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("GET http://loopback.gangway.test:" + port
                    + "/: 403 loopback.gangway.test:" + port + " (127.0.0.1) is refused by the destination policy (rule loopback)"));
            assertThat(metrics(gangway)).contains("gangway_destinations_denied_total{rule=\"loopback\"} 6.0");
        }
        assertThat(onLoopback.connections()).as("nothing reached the loopback origin").isEqualTo(before);
    }

    @Test
    void ipv4MappedAndEmbeddedFormsAndMetadataAreRefusedWithoutAnyConnection() throws Exception {
        int before = onLoopback.connections();
        try (RunningGangway gangway = gateway().start()) {
            Map<String, String> refused = Map.ofEntries(
                    Map.entry("[::ffff:127.0.0.1]:" + port, "loopback"),
                    Map.entry("[::ffff:7f00:1]:" + port, "loopback"),
                    Map.entry("[::127.0.0.1]:" + port, "loopback"),
                    Map.entry("[64:ff9b::7f00:1]:" + port, "loopback"),
                    Map.entry("mapped.gangway.test:" + port, "loopback"),
                    Map.entry("0.0.0.0:" + port, "unspecified"),
                    Map.entry("[::]:" + port, "unspecified"),
                    Map.entry("169.254.169.254:80", "metadata"),
                    Map.entry("[::ffff:169.254.169.254]:80", "metadata"),
                    Map.entry("[64:ff9b::a9fe:a9fe]:80", "metadata"),
                    Map.entry("[2002:a9fe:a9fe::1]:80", "metadata"),
                    Map.entry("[fd00:ec2::254]:80", "metadata"),
                    Map.entry("169.254.1.1:80", "link-local"),
                    Map.entry("[fe80::1]:80", "link-local"),
                    Map.entry("224.0.0.1:80", "multicast"));
            for (Map.Entry<String, String> e : refused.entrySet()) {
                assertThat(get(at(gangway), "http://" + e.getKey() + "/latest/meta-data/")).as(e.getKey())
                        .startsWith("HTTP/1.1 403").contains("error=destination_ip_prohibited")
                        .contains("(rule " + e.getValue() + ")");
            }
            assertThat(gangway.stats().upstreamConnectionsOpened()).as("no connection was made for any of them").isZero();
            assertThat(metrics(gangway)).contains("gangway_destinations_denied_total{rule=\"metadata\"} 5.0")
                    .contains("gangway_destinations_denied_total{rule=\"loopback\"} 5.0");
        }
        assertThat(onLoopback.connections()).isEqualTo(before);
    }

    @Test
    void gangwaysOwnListenersAndItsAdminListenerAreRefused() throws Exception {
        try (RunningGangway gangway = gateway().with(ConfigKey.CONNECT_PORTS, "*").start()) {
            String own = VethAddress.ADDRESS + ":" + gangway.port();
            assertThat(get(at(gangway), "http://" + own + "/")).startsWith("HTTP/1.1 403").contains("(rule self)")
                    .contains("would loop");
            assertThat(connect(at(gangway), own)).startsWith("HTTP/1.1 403").contains("(rule self)");
            // the admin listener is on 127.0.0.1; by any of this host's addresses it is refused as the admin listener
            for (String admin : new String[] {"127.0.0.1", VethAddress.ADDRESS, "[::ffff:127.0.0.1]"}) {
                assertThat(get(at(gangway), "http://" + admin + ":" + gangway.adminPort() + "/status")).as(admin)
                        .startsWith("HTTP/1.1 403").contains("(rule admin)").contains("admin listener")
                        .doesNotContain("\"ready\"");
            }
        }
    }

    @Test
    void connectReachesOnlyItsPorts() throws Exception {
        try (RunningGangway gangway = gateway().start()) {
            assertThat(connect(at(gangway), VethAddress.ADDRESS + ":" + port)).as("default: every port (registries on any port)")
                    .startsWith("HTTP/1.1 200 Connection established").endsWith("veth");
        }
        int before = onVeth.connections();
        try (RunningGangway gangway = gateway().with(ConfigKey.CONNECT_PORTS, "443,8443").start()) {
            assertThat(connect(at(gangway), VethAddress.ADDRESS + ":" + port)).startsWith("HTTP/1.1 403")
                    .contains("error=http_request_denied").contains("(rule connect-port)")
                    .contains("CONNECT may reach ports 443,8443 only");
            assertThat(onVeth.connections()).isEqualTo(before);
            assertThat(get(at(gangway), "http://" + VethAddress.ADDRESS + ":" + port + "/")).as("plain requests: any port")
                    .startsWith("HTTP/1.1 200");
        }
        try (RunningGangway gangway = gateway().with(ConfigKey.CONNECT_PORTS, "443," + port).start()) {
            assertThat(connect(at(gangway), VethAddress.ADDRESS + ":" + port)).startsWith("HTTP/1.1 200 Connection established")
                    .endsWith("veth");
        }
    }

    @Test
    void denyAndAllowDestinationChangeTheListsButNeverReopenGangwayItself() throws Exception {
        int vethBefore = onVeth.connections();
        try (RunningGangway gangway = gateway().with(ConfigKey.DENY, VethAddress.ADDRESS + "/32")
                .with(ConfigKey.DENY, ".blocked.test").with(ConfigKey.ALLOW_DESTINATION, "127.0.0.1")
                .with(ConfigKey.CONNECT_PORTS, String.valueOf(port)).start()) {
            assertThat(get(at(gangway), "http://" + VethAddress.ADDRESS + ":" + port + "/")).startsWith("HTTP/1.1 403")
                    .contains("error=destination_ip_prohibited").contains("(rule deny)")
                    .contains("matches --deny entry '" + VethAddress.ADDRESS + "/32'");
            assertThat(get(at(gangway), "http://veth.gangway.test:" + port + "/")).startsWith("HTTP/1.1 403").contains("(rule deny)");
            assertThat(get(at(gangway), "http://www.blocked.test:" + port + "/")).startsWith("HTTP/1.1 403")
                    .contains("error=http_request_denied").contains("matches --deny entry '.blocked.test'");
            assertThat(looked("www.blocked.test")).as("refused by name, before any lookup").isZero();
            assertThat(onVeth.connections()).isEqualTo(vethBefore);

            assertThat(get(at(gangway), "http://127.0.0.1:" + port + "/")).startsWith("HTTP/1.1 200").endsWith("loopback");
            assertThat(connect(at(gangway), "127.0.0.1:" + port)).startsWith("HTTP/1.1 200 Connection established")
                    .endsWith("loopback");
            assertThat(get(at(gangway), "http://127.0.0.1:" + gangway.port() + "/")).as("Gangway itself, on loopback")
                    .startsWith("HTTP/1.1 403").contains("(rule self)");
            assertThat(get(at(gangway), "http://127.0.0.1:" + gangway.adminPort() + "/status")).startsWith("HTTP/1.1 403")
                    .contains("(rule admin)");
        }
    }

    @Test
    void aNameThatRebindsIsDialledAtTheVeryAddressThatWasChecked() throws Exception {
        int loopbackBefore = onLoopback.connections();
        int looked = looked("rebind.gangway.test");
        try (RunningGangway gangway = gateway().with(ConfigKey.CONNECT_PORTS, String.valueOf(port)).start()) {
            // tunnels are new connections each time (no pool): every CONNECT resolves once, is checked, is dialled
            String authority = "rebind.gangway.test:" + port;
            assertThat(connect(at(gangway), authority)).as("checked and dialled at the veth answer")
                    .startsWith("HTTP/1.1 200 Connection established").endsWith("veth");
            assertThat(looked("rebind.gangway.test") - looked).as("no second lookup between check and connect").isEqualTo(1);
            assertThat(connect(at(gangway), authority)).as("the rebound answer").startsWith("HTTP/1.1 403")
                    .contains("(127.0.0.1) is refused by the destination policy (rule loopback)");
            assertThat(connect(at(gangway), authority)).startsWith("HTTP/1.1 200").endsWith("veth");
            assertThat(looked("rebind.gangway.test") - looked).isEqualTo(3);
        }
        assertThat(onLoopback.connections()).as("the loopback answer was never dialled").isEqualTo(loopbackBefore);
    }

    @Test
    void pacChosenRoutesDirectOnesOnTheirAddressesUpstreamOnesOnTheNameAsAsked(@TempDir Path dir) throws Exception {
        // an upstream proxy that answers every request itself, naming what it was asked for: no name is resolved anywhere
        try (RawServer upstream = new RawServer((socket, in, out) -> {
            String asked = RawServer.readHead(in).split("\r\n", 2)[0];
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + asked.length() + "\r\nConnection: close\r\n\r\n" + asked)
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        })) {
            Path pac = dir.resolve("gateway.pac");
            Files.writeString(pac, "function FindProxyForURL(url, host) {\n"
                    + "  return dnsDomainIs(host, '.direct.test') ? 'DIRECT' : 'PROXY 127.0.0.1:" + upstream.port() + "';\n}\n");
            try (RunningGangway gangway = gateway().with(ConfigKey.ROUTING, "pac").with(ConfigKey.PAC, pac.toString()).start()) {
                assertThat(get(at(gangway), "http://veth.direct.test:" + port + "/")).startsWith("HTTP/1.1 200").endsWith("veth");
                assertThat(get(at(gangway), "http://loopback.direct.test:" + port + "/")).startsWith("HTTP/1.1 403")
                        .contains("(127.0.0.1) is refused by the destination policy (rule loopback)");
                assertThat(upstream.connections()).isZero();

                // through the upstream (on loopback, as configured: its own address is not checked), names as asked
                assertThat(get(at(gangway), "http://only-upstream-knows.example.test:" + port + "/"))
                        .startsWith("HTTP/1.1 200").endsWith("GET http://only-upstream-knows.example.test:" + port + "/ HTTP/1.1");
                assertThat(looked("only-upstream-knows.example.test")).as("Gangway does not resolve it").isZero();
                for (String refused : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::ffff:127.0.0.1]:" + port,
                        "169.254.169.254"}) {
                    assertThat(get(at(gangway), "http://" + refused + "/")).as(refused).startsWith("HTTP/1.1 403")
                            .contains("is refused by the destination policy");
                }
                assertThat(upstream.connections()).as("the upstream was not asked for them").isEqualTo(1);
            }
        }
    }
}
