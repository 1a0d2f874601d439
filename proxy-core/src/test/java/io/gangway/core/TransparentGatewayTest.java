package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transparent listener of a gateway, with a real redirection: an iptables REDIRECT in the
 * nat table's OUTPUT chain sends this test's client connections (and only them: their source
 * ports are 23500-23599, which no other program picks) to the transparent listener, and the
 * kernel gives Gangway their original destination. The destination policy is checked on it:
 * where the client was going, not only what it named. Skipped without iptables (or root, or ip).
 */
class TransparentGatewayTest {

    @RegisterExtension
    static final VethAddress veth = new VethAddress();

    private static final int FIRST_SOURCE_PORT = 23500;
    private static final int SOURCE_PORTS = 100;
    private static final AtomicInteger nextSource = new AtomicInteger((int) (System.nanoTime() % SOURCE_PORTS));

    private static void iptables(String op, int toPort) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", op, "OUTPUT", "-p", "tcp", "--sport",
                FIRST_SOURCE_PORT + ":" + (FIRST_SOURCE_PORT + SOURCE_PORTS - 1), "-m", "comment", "--comment",
                "gangway-egress-test", "-j", "REDIRECT", "--to-ports", String.valueOf(toPort)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + out.strip());
        }
    }

    /** Deletes this test's rules that a killed run left behind (found by their comment). */
    private static void removeLeftovers() throws IOException, InterruptedException {
        Process list = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", "OUTPUT").redirectErrorStream(true).start();
        String rules = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor(30, TimeUnit.SECONDS);
        for (String rule : rules.split("\n")) {
            if (rule.startsWith("-A OUTPUT ") && rule.contains("gangway-egress-test")) {
                List<String> delete = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", "-D"));
                delete.addAll(List.of(rule.substring(3).split(" ")));
                new ProcessBuilder(delete).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Connects from one of the redirected source ports; what a client that knows nothing of a proxy sends, and all it got. */
    private static String exchange(String from, String to, int port) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < SOURCE_PORTS; attempt++) {
            int source = FIRST_SOURCE_PORT + Math.floorMod(nextSource.getAndIncrement(), SOURCE_PORTS);
            try (Socket socket = new Socket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(from), source));
                socket.connect(new InetSocketAddress(to, port), 5_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                try {
                    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                } catch (java.net.SocketException reset) {
                    return ""; // closed with a reset: nothing was relayed
                }
            } catch (java.net.BindException | java.net.NoRouteToHostException busy) {
                last = busy; // that source port is still in TIME_WAIT towards this destination: the next one
            }
        }
        throw last;
    }

    @Test
    void aRedirectedConnectionIsCheckedOnWhereItWasGoing() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/iptables")) || Files.isExecutable(Path.of("/sbin/iptables")),
                "needs iptables to redirect connections to the transparent listener");
        try (RawServer onVeth = new RawServer(new InetSocketAddress(VethAddress.ADDRESS, 0), RawServer.answering("veth"));
             RawServer onLoopback = new RawServer(RawServer.answering("loopback"));
             AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.LISTEN, VethAddress.ADDRESS + ":0")
                     .with(ConfigKey.TRANSPARENT, "127.0.0.1:0").with(ConfigKey.TRANSPARENT_PORTS, "*")
                     .with(ConfigKey.ALLOW, "198.18.23.0/24,127.0.0.1/32").with(ConfigKey.ROUTING, "direct")
                     .start()) {
            int transparent = gangway.port(1);
            removeLeftovers();
            iptables("-A", transparent);
            try {
                assertThat(exchange(VethAddress.ADDRESS, VethAddress.ADDRESS, onVeth.port())).as("allowed: relayed")
                        .startsWith("HTTP/1.1 200").endsWith("veth");
                assertThat(exchange("127.0.0.1", "127.0.0.1", onLoopback.port())).as("to loopback: closed").isEmpty();
                assertThat(exchange(VethAddress.ADDRESS, VethAddress.ADDRESS, gangway.port())).as("to Gangway itself")
                        .isEmpty();
            } finally {
                iptables("-D", transparent);
            }
            assertThat(onLoopback.connections()).isZero();
            assertThat(onVeth.connections()).isEqualTo(1);
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("CONNECT 127.0.0.1:" + onLoopback.port()
                    + ": 403 127.0.0.1:" + onLoopback.port() + " is refused by the destination policy (rule loopback)"));
            assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains(VethAddress.ADDRESS + ":" + gangway.port()
                    + " is refused by the destination policy (rule self)"));
        }
    }
}
