package io.gangway.core;

import static io.gangway.core.LoopbackPorts.accepts;
import static io.gangway.core.LoopbackPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.cli.GangwayCli;
import io.gangway.harness.ProxiedClients;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket activation with systemd's own tool: {@code systemd-socket-activate} listens, starts
 * Gangway at the first connection with the sockets as descriptors 3, 4, ... ({@code LISTEN_FDS}),
 * and Gangway serves on them alone: that first connection is answered, no default listener is
 * opened beside them, a socket named {@code admin} is the admin listener, and a socket on every
 * address without an allow-list is refused as any open proxy would be.
 */
class SocketActivationTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("activated");

    @TempDir
    Path temp;

    private Process activator;
    private Path output;

    @AfterEach
    void stop() throws InterruptedException {
        if (activator != null) {
            activator.descendants().forEach(ProcessHandle::destroy);
            activator.destroy();
            activator.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * systemd-socket-activate with {@code listen} sockets named {@code names}, running {@code gangway
     * run ARGS}; false when another program took one of the ports since it was picked (try others).
     */
    private boolean activate(List<String> listen, String names, String... args) throws Exception {
        output = temp.resolve("gangway.out");
        List<String> command = new ArrayList<>(List.of("systemd-socket-activate"));
        listen.forEach(l -> command.addAll(List.of("-l", l)));
        command.add("--fdname=" + names);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GangwayCli.class.getName(), "run"));
        command.addAll(List.of(args));
        activator = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        // the tool's own lines, one per socket, before any Gangway runs
        while (Files.readString(output).lines().filter(l -> l.startsWith("Listening on")).count() < listen.size()) {
            if (!activator.isAlive() && Files.readString(output).contains("Address already in use")) {
                return false;
            }
            assertThat(activator.isAlive() && System.currentTimeMillis() < deadline).as("systemd-socket-activate: %s",
                    Files.readString(output)).isTrue();
            Thread.sleep(20);
        }
        return true;
    }

    @Test
    void theFirstConnectionStartsGangwayOnTheGivenSocketsAlone() throws Exception {
        int proxy;
        int admin;
        int flagged;
        int attempts = 0;
        do {
            assertThat(attempts++).as("attempts to find free ports").isLessThan(5);
            proxy = freePort();
            admin = freePort();
            flagged = freePort();
        } while (!activate(List.of("127.0.0.1:" + proxy, "127.0.0.1:" + admin), "gangway.socket:admin",
                "--routing", "direct", "--listen", "127.0.0.1:" + flagged));

        // This connection starts Gangway: it waits in the socket's backlog until Gangway takes it.
        HttpResponse<String> first = ProxiedClients.jdk(proxy).send(
                HttpRequest.newBuilder(URI.create(origin.http("/first"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("activated");

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + admin + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("ok\n");
        String proxyLine = "lifecycle listening on 127.0.0.1:" + proxy;
        String adminLine = "lifecycle listening on 127.0.0.1:" + admin + " (admin)";
        String flaggedLine = "listening on 127.0.0.1:" + flagged;
        assertThat(lines()).anySatisfy(l -> assertThat(l).endsWith(proxyLine))
                .anySatisfy(l -> assertThat(l).endsWith(adminLine))
                .noneSatisfy(l -> assertThat(l).contains("listening on 127.0.0.1:3128"))
                .noneSatisfy(l -> assertThat(l).contains(flaggedLine));
        assertThat(accepts(flagged)).as("the --listen flag gives way to systemd's sockets").isFalse();
    }

    @Test
    void aSocketOnEveryAddressWithoutAnAllowListIsRefused() throws Exception {
        int port;
        int attempts = 0;
        do {
            assertThat(attempts++).as("attempts to find a free port").isLessThan(5);
            port = freePort();
        } while (!activate(List.of("0.0.0.0:" + port), "gangway.socket", "--routing", "direct"));
        try (Socket trigger = new Socket(InetAddress.getLoopbackAddress(), port)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (lines().stream().noneMatch(l -> l.contains("gangway: invalid configuration"))
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(String.join("\n", lines())).contains("gangway: invalid configuration").contains("0.0.0.0:" + port)
                .contains("open proxy").contains("the sockets systemd passed");
    }

    private List<String> lines() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8).lines().toList();
    }
}
