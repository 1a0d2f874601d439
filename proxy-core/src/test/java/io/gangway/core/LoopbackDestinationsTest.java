package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loopback-only listeners (the default) are no gateway: loopback destinations are reached as
 * before, in every form, and on every CONNECT port; --deny and --connect-ports apply when given.
 */
class LoopbackDestinationsTest {

    private static RawServer origin;

    @BeforeAll
    static void origin() throws IOException {
        origin = new RawServer(RawServer.answering("ok"));
    }

    @AfterAll
    static void close() throws IOException {
        origin.close();
    }

    private static String get(RunningGangway gangway, String authority) throws IOException {
        return RawClient.get(new InetSocketAddress("127.0.0.1", gangway.port()), null, "http://" + authority + "/");
    }

    private static String connect(RunningGangway gangway, String authority) throws IOException {
        return RawClient.connect(new InetSocketAddress("127.0.0.1", gangway.port()), null, authority);
    }

    @Test
    void loopbackDestinationsAreReachedInEveryFormAndOnEveryConnectPort() throws Exception {
        int port = origin.port();
        try (AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ROUTING, "direct").start()) {
            for (String authority : new String[] {"127.0.0.1:" + port, "localhost:" + port, "[::ffff:127.0.0.1]:" + port}) {
                assertThat(get(gangway, authority)).as(authority).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat(connect(gangway, "127.0.0.1:" + port)).startsWith("HTTP/1.1 200 Connection established").endsWith("ok");
            assertThat(logs.lines()).noneMatch(line -> line.contains("destination policy"));
        }
    }

    @Test
    void denyAndConnectPortsApplyWhenGivenEvenWithoutAGateway() throws Exception {
        int port = origin.port();
        int before = origin.connections();
        try (AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ROUTING, "direct")
                     .with(ConfigKey.DENY, "127.0.0.2,:" + port).with(ConfigKey.CONNECT_PORTS, "443").start()) {
            assertThat(get(gangway, "127.0.0.2:8080")).startsWith("HTTP/1.1 403").contains("(rule deny)")
                    .contains("matches --deny entry '127.0.0.2'");
            assertThat(get(gangway, "localhost:" + port)).startsWith("HTTP/1.1 403")
                    .contains("error=http_request_denied").contains("matches --deny entry ':" + port + "'");
            assertThat(connect(gangway, "127.0.0.1:" + (port == 8443 ? 8444 : 8443))).startsWith("HTTP/1.1 403")
                    .contains("(rule connect-port)").contains("CONNECT may reach ports 443 only (--connect-ports)");
            assertThat(get(gangway, "localhost:1")).as("loopback itself is no rule here").doesNotContain("destination policy");
            assertThat(logs.lines()).anyMatch(line -> line.equals("destination policy: refused: the admin listener; "
                    + "--deny 127.0.0.2,:" + port + "; CONNECT ports 443"));
        }
        assertThat(origin.connections()).isEqualTo(before);
    }

    @Test
    void aPublishedPortReachesTheTargetItNamesEvenInGatewayMode() throws Exception {
        // a wildcard published port makes this a gateway; its own target is the configuration's, not a client's choice
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ROUTING, "direct")
                .with(ConfigKey.ALLOW, "127.0.0.0/8").with(ConfigKey.PUBLISH, "0.0.0.0:0:127.0.0.1:" + origin.port()).start();
             RawClient client = new RawClient(new InetSocketAddress("127.0.0.1", gangway.port(1)), null)) {
            assertThat(client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").response())
                    .startsWith("HTTP/1.1 200").endsWith("ok");
            assertThat(get(gangway, "127.0.0.1:" + origin.port())).as("but the proxy listener is a gateway's")
                    .startsWith("HTTP/1.1 403").contains("(rule loopback)");
        }
    }
}
