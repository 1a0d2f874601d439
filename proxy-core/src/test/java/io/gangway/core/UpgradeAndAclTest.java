package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RawServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Protocol upgrades relayed as raw bytes, and the gateway allow list. */
class UpgradeAndAclTest {

    @Test
    void upgradeSwitchesToARawRelayDirect() throws Exception {
        try (RawServer echo = RawServer.upgradeEcho();
             RunningGangway gangway = RunningGangway.builder().start()) {
            assertUpgradeEchoes(gangway, echo.port());
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void upgradeThroughAnUpstreamProxy() throws Exception {
        // LittleProxy drops Upgrade headers, so the upstream here is a raw peer that plays proxy and
        // echo origin at once, and checks what Gangway sends it.
        try (RawServer proxyAndEcho = new RawServer((socket, in, out) -> {
            String head = RawServer.readHead(in);
            if (!head.startsWith("GET http://chat.example:8080/chat HTTP/1.1")
                    || !head.contains("Upgrade: echo") || !head.contains("Connection: Upgrade")) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(out);
        });
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + proxyAndEcho.port()).start()) {
            try (RawClient client = new RawClient(gangway.port())) {
                client.send("GET http://chat.example:8080/chat HTTP/1.1\r\nHost: chat.example:8080\r\n"
                        + "Connection: Upgrade\r\nUpgrade: echo\r\n\r\n");
                assertEchoes(client);
            }
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    private static void assertUpgradeEchoes(RunningGangway gangway, int port) throws Exception {
        try (RawClient client = new RawClient(gangway.port())) {
            client.send("GET http://127.0.0.1:" + port + "/chat HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n");
            assertEchoes(client);
        }
    }

    private static void assertEchoes(RawClient client) throws Exception {
        String head = RawServer.readHead(client.in());
        assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: echo");
        for (String line : new String[] {"first\n", "second frame\n"}) {
            client.send(line);
            assertThat(new String(client.in().readNBytes(line.length()), StandardCharsets.US_ASCII)).isEqualTo(line);
        }
    }

    @Test
    void listensOnIpv6Loopback() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
        try (RawServer echo = RawServer.upgradeEcho();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.LISTEN, "[::1]:0").start();
             java.net.Socket socket = new java.net.Socket("::1", gangway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET http://127.0.0.1:" + echo.port() + "/ HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: Upgrade\r\nUpgrade: echo\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(RawServer.readHead(socket.getInputStream())).startsWith("HTTP/1.1 101");
        }
    }

    private static boolean ipv6LoopbackWorks() {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.bind(new java.net.InetSocketAddress("::1", 0));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void clientsOutsideTheAllowListGet403() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ALLOW, "127.0.0.2/32").start()) {
            try (RawClient outsider = new RawClient(gangway.port(), "127.0.0.1")) {
                outsider.send("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n");
                assertThat(outsider.readToClose()).startsWith("HTTP/1.1 403")
                        .contains("client 127.0.0.1 is not in the allow list");
            }
            try (RawClient insider = new RawClient(gangway.port(), "127.0.0.2")) {
                insider.send("GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
                // allowed in: the request is routed (and fails to connect, which is another matter)
                assertThat(insider.readToClose()).startsWith("HTTP/1.1 502");
            }
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }
}
