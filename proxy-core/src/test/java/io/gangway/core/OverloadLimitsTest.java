package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.core.server.ConnectionBudget;
import io.gangway.harness.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overload limits over real sockets: beyond each, a 503 with Retry-After and a clean close
 * (or, where no HTTP is spoken, a closed connection); below them again, service as before. And
 * the first-byte timeout: a silent connection is closed, a kept-alive one is not.
 */
class OverloadLimitsTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    @TempDir
    Path temp;

    private static String get() {
        return "GET " + origin.http("/x") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private static String connect(int port) {
        return "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
    }

    /** Waits until {@code value} is {@code expected}: accepting and closing are asynchronous. */
    private static void await(IntSupplier value, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (value.getAsInt() != expected) {
            assertThat(System.nanoTime()).as("waiting for " + expected + ", at " + value.getAsInt()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static List<RawClient> hold(int n, int port, String from) throws IOException {
        List<RawClient> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(new RawClient(port, from));
        }
        return held;
    }

    private static void closeAll(List<RawClient> clients) throws IOException {
        for (RawClient c : clients) {
            c.close();
        }
    }

    private static String metrics(RunningGangway gangway) throws Exception {
        return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gangway.adminPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theConnectionBeyondMaxClientConnectionsGets503WithRetryAfterAndOneAfterACloseIsServed() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.MAX_CLIENT_CONNECTIONS, "3")
                .with(ConfigKey.ADMIN, "127.0.0.1:0").start()) {
            ConnectionBudget budget = gangway.stats().budget();
            List<RawClient> held = hold(3, gangway.port(), null);
            await(budget::openConnections, 3);
            try (RawClient fourth = new RawClient(gangway.port())) {
                assertThat(fourth.send(get()).readToClose())
                        .startsWith("HTTP/1.1 503 Service Unavailable")
                        .contains("Retry-After: 2")
                        .contains("Proxy-Status: gangway; error=connection_limit_reached; details=\"max-client-connections\"")
                        .contains("Connection: close")
                        .contains("Gangway has 3 client connections open, its limit (max-client-connections)");
            }
            assertThat(budget.openConnections()).as("the refused one was never counted").isEqualTo(3);
            held.get(0).close();
            await(budget::openConnections, 2);
            try (RawClient again = new RawClient(gangway.port())) {
                assertThat(again.send(get()).response()).startsWith("HTTP/1.1 200").endsWith("ok");
            }
            assertThat(metrics(gangway)).contains("gangway_overload_refusals_total{limit=\"max-client-connections\"} 1.0");
            closeAll(held);
            await(gangway.stats()::openClientConnections, 0); // the origin's connection stays in the pool
        }
    }

    @Test
    void thePerAddressLimitRefusesOneAddressAndServesAnother() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.MAX_CLIENT_CONNECTIONS_PER_ADDRESS, "2").start()) {
            ConnectionBudget budget = gangway.stats().budget();
            InetAddress first = InetAddress.getByName("127.0.0.1");
            List<RawClient> held = hold(2, gangway.port(), "127.0.0.1");
            await(() -> budget.openConnections(first), 2);
            try (RawClient third = new RawClient(gangway.port(), "127.0.0.1")) {
                assertThat(third.send(get()).readToClose()).startsWith("HTTP/1.1 503")
                        .contains("Retry-After: 2")
                        .contains("details=\"max-client-connections-per-address\"")
                        .contains("client 127.0.0.1 has 2 connections open, the limit for one address");
            }
            try (RawClient other = new RawClient(gangway.port(), "127.0.0.2")) {
                assertThat(other.send(get()).response()).as("another address has its own count").startsWith("HTTP/1.1 200");
                assertThat(budget.openConnections(InetAddress.getByName("127.0.0.2"))).isEqualTo(1);
            }
            closeAll(held);
            await(gangway.stats()::openClientConnections, 0); // the origin's connection stays in the pool
            assertThat(budget.openConnections(first)).isZero();
        }
    }

    @Test
    void pipelinedRequestsBeyondTheBoundGet503InTheirTurnAndAreNeverForwarded() throws Exception {
        AtomicInteger forwarded = new AtomicInteger();
        try (RawServer numbered = new RawServer((socket, in, out) -> {
            for (String head; (head = readHeadOrNull(in)) != null; ) {
                forwarded.incrementAndGet();
                String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + path.length() + "\r\n\r\n" + path).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.MAX_PENDING_REQUESTS, "2").start();
             RawClient client = new RawClient(gangway.port())) {
            StringBuilder pipelined = new StringBuilder();
            for (int i = 1; i <= 5; i++) {
                pipelined.append("GET http://127.0.0.1:").append(numbered.port()).append("/r").append(i)
                        .append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            String answers = client.send(pipelined.toString()).readToClose();
            assertThat(answers.split("HTTP/1.1 200 OK", -1)).as("the one served and the two queued").hasSize(4);
            assertThat(answers.indexOf("/r1")).isLessThan(answers.indexOf("/r2"));
            assertThat(answers.indexOf("/r2")).isLessThan(answers.indexOf("/r3"));
            assertThat(answers.substring(answers.indexOf("/r3"))).contains("HTTP/1.1 503")
                    .contains("details=\"max-pending-requests\"").contains("Retry-After: 2").doesNotContain("/r4");
            assertThat(forwarded.get()).isEqualTo(3);
        }
    }

    private static String readHeadOrNull(InputStream in) {
        try {
            return RawServer.readHead(in);
        } catch (IOException e) {
            return null;
        }
    }

    @Test
    void aTunnelBeyondMaxTunnelsGets503AndOneAfterAnEndIsServed() throws Exception {
        try (RawServer echo = new RawServer((socket, in, out) -> in.transferTo(out));
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.MAX_TUNNELS, "1").start()) {
            ConnectionBudget budget = gangway.stats().budget();
            RawClient tunnel = new RawClient(gangway.port());
            assertThat(tunnel.send(connect(echo.port())).response()).startsWith("HTTP/1.1 200 Connection established");
            tunnel.send("ping");
            assertThat(new String(tunnel.in().readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
            try (RawClient second = new RawClient(gangway.port())) {
                assertThat(second.send(connect(echo.port())).readToClose()).startsWith("HTTP/1.1 503")
                        .contains("Retry-After: 2")
                        .contains("Proxy-Status: gangway; error=connection_limit_reached; details=\"max-tunnels\"")
                        .contains("Gangway has 1 tunnels open, its limit (max-tunnels)");
            }
            assertThat(echo.connections()).as("the refused CONNECT went nowhere").isEqualTo(1);
            tunnel.close();
            await(budget::openTunnels, 0);
            try (RawClient again = new RawClient(gangway.port())) {
                assertThat(again.send(connect(echo.port())).response()).startsWith("HTTP/1.1 200 Connection established");
            }
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheFirstByteTimeoutButAKeptAliveOneIsNot() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.FIRST_BYTE_TIMEOUT, "300ms")
                .with(ConfigKey.IDLE_TIMEOUT, "60s").start();
             RawClient silent = new RawClient(gangway.port());
             RawClient keptAlive = new RawClient(gangway.port())) {
            assertThat(keptAlive.send(get()).response()).startsWith("HTTP/1.1 200");
            assertThat(silent.readToClose()).as("closed (well within the 10 s read timeout), with nothing said").isEmpty();
            Thread.sleep(1_000); // more than three first-byte timeouts, far less than the idle timeout
            assertThat(keptAlive.send(get()).response()).as("the same connection, still open").startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aSilentClientOutsideTheAllowListIsClosedToo() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ALLOW, "127.0.0.2/32")
                .with(ConfigKey.FIRST_BYTE_TIMEOUT, "300ms").start();
             RawClient outsider = new RawClient(gangway.port(), "127.0.0.1")) {
            assertThat(outsider.readToClose()).as("no longer held until it speaks").isEmpty();
            gangway.awaitNoOpenConnections(Duration.ofSeconds(5));
        }
    }

    @Test
    void aPublishedPortWaitsForATargetThatSpeaksFirstAndClosesAClientOverTheLimit() throws Exception {
        try (RawServer banner = new RawServer((socket, in, out) -> {
            sleep(1_000); // longer than the first-byte timeout below: the client says nothing meanwhile
            out.write("SSH-2.0-Test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.readAllBytes();
        });
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.FIRST_BYTE_TIMEOUT, "300ms")
                     .with(ConfigKey.MAX_CLIENT_CONNECTIONS, "1")
                     .with(ConfigKey.PUBLISH, "127.0.0.1:0:127.0.0.1:" + banner.port()).start();
             Socket client = new Socket("127.0.0.1", gangway.port(1))) {
            client.setSoTimeout(10_000);
            await(gangway.stats().budget()::openConnections, 1);
            try (Socket over = new Socket("127.0.0.1", gangway.port(1))) {
                over.setSoTimeout(10_000);
                assertThat(over.getInputStream().read()).as("closed: raw TCP has no way to say why").isEqualTo(-1);
            }
            byte[] line = client.getInputStream().readNBytes(14);
            assertThat(new String(line, StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-Test\r\n");
            assertThat(banner.connections()).isEqualTo(1);
        }
    }

    @Test
    void aReloadAppliesNewLimitsToNewConnections() throws Exception {
        Path yaml = temp.resolve("gangway.yaml");
        Files.writeString(yaml, "listen: 127.0.0.1:0\nrouting: direct\nmax-client-connections: 5\n");
        try (RunningGangway gangway = RunningGangway.builder().config(yaml).start()) {
            ConnectionBudget budget = gangway.stats().budget();
            List<RawClient> held = hold(2, gangway.port(), null);
            await(budget::openConnections, 2);
            Files.writeString(yaml, "listen: 127.0.0.1:0\nrouting: direct\nmax-client-connections: 2\n");
            assertThat(gangway.server().reload().applied()).isTrue();
            try (RawClient third = new RawClient(gangway.port())) {
                assertThat(third.send(get()).readToClose()).startsWith("HTTP/1.1 503").contains("Gangway has 2 client connections open");
            }
            assertThat(held.get(0).send(get()).response()).as("those open before stay served").startsWith("HTTP/1.1 200");
            closeAll(held);
            await(gangway.stats()::openClientConnections, 0); // the origin's connection stays in the pool
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
