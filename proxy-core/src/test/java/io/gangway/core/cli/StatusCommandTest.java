package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gangway status} against a running Gangway's admin listener: what it prints and its exit status. */
class StatusCommandTest {

    @TempDir
    Path temp;

    private static CliRun status(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "status";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.of(GangwayCli.commandLine(), all);
    }

    @Test
    void aReadyGangwayIsDescribedAndExitsZero() throws Exception {
        try (Origin origin = Origin.answering("ok");
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                     .with(ConfigKey.ROUTING, "direct").start()) {
            ProxiedClients.jdk(gangway.port()).send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/refused")).build(),
                    HttpResponse.BodyHandlers.discarding());
            CliRun run = status("--admin", "127.0.0.1:" + gangway.adminPort());
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).startsWith("Gangway ").contains(": ready, up ")
                    .contains("listening on 127.0.0.1:" + gangway.port() + ": proxy (engine profile)")
                    .contains("engine profile: direct")
                    .contains("credential back-offs: none")
                    .contains("recent error ").contains("destination_unavailable");
            CliRun json = status("--admin", "127.0.0.1:" + gangway.adminPort(), "--json");
            assertThat(json.out()).startsWith("{").contains("\"ready\" : true");
        }
    }

    @Test
    void theAdminAddressComesFromTheConfigurationAsForRun() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").start()) {
            Path yaml = temp.resolve("gangway.yaml");
            Files.writeString(yaml, "admin: 127.0.0.1:" + gangway.adminPort() + "\n");
            assertThat(status("--config", yaml.toString()).exit()).isZero();
        }
    }

    @Test
    void notReadyOrUnreachableExitsOne() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                     .with(ConfigKey.PAC, "http://127.0.0.1:" + silent.getLocalPort() + "/never.pac").start()) {
            CliRun loading = status("--admin", "127.0.0.1:" + gangway.adminPort());
            assertThat(loading.exit()).isEqualTo(1);
            assertThat(loading.out()).contains("NOT READY").contains("is loading");
        }
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CliRun unreachable = status("--admin", "127.0.0.1:" + closed);
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach the admin listener at http://127.0.0.1:" + closed + "/status");
        CliRun none = status();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("no admin listener is configured");
    }
}
