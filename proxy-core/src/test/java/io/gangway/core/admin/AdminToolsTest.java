package io.gangway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.File;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint checked by the tools its users point at it: Prometheus' promtool lints the
 * metrics, and a real headless Chromium renders the status page while traffic flows (its
 * screenshot kept as target/admin-status-page.png). Both come from Debian's packages, which
 * .ci/run installs (promtool unpacked from the prometheus package, so that no daemon starts).
 */
class AdminToolsTest {

    private static Origin origin;

    @TempDir
    Path temp;

    @BeforeAll
    static void startOrigin() {
        origin = Origin.answering("fine");
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    @Test
    void theMetricsPassPromtoolsLint() throws Exception {
        String promtool = tool("GANGWAY_PROMTOOL", "/usr/bin/promtool");
        Path pac = temp.resolve("routes.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) { return host == 'bad' ? 42 : 'DIRECT'; }");
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", "Admin-Secret-2026");
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                     .with(ConfigKey.UPSTREAM, "http://alice@127.0.0.1:" + upstream.port()).env("GANGWAY_PASSWORD", "Admin-Secret-2026")
                     .with(ConfigKey.CONTAINERS_LISTEN, "127.0.0.1:0").withContainers(ConfigKey.PAC, pac.toString())
                     .start()) {
            HttpClient engine = ProxiedClients.jdk(gangway.port(0));
            HttpClient containers = ProxiedClients.jdk(gangway.port(1));
            send(engine, origin.http("/through-the-upstream"));
            send(containers, origin.http("/by-the-pac"));
            send(containers, "http://bad/");
            send(engine, "http://127.0.0.1:" + AdminEndpointTest.freePort() + "/dead");
            String metrics = AdminEndpointTest.admin(gangway.adminPort(), "GET", "/metrics").body();
            assertThat(metrics).contains("gangway_upstream_auth_handshakes_total{scheme=\"basic\"}")
                    .contains("gangway_pac_evaluations_total{profile=\"containers\"}")
                    .contains("gangway_requests_total{profile=\"containers\",route=\"direct\",status=\"2xx\"} 1.0")
                    .contains("jvm_memory_used_bytes");
            Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(said).as("promtool's findings").isEmpty();
            assertThat(check.exitValue()).isZero();
        }
    }

    @Test
    void theStatusPageShowsTheTrafficInARealBrowser() throws Exception {
        String chromium = tool("GANGWAY_CHROMIUM", "/usr/bin/chromium");
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").start()) {
            HttpClient proxied = ProxiedClients.jdk(gangway.port());
            AtomicBoolean flowing = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            Thread traffic = new Thread(() -> {
                while (flowing.get()) {
                    try {
                        send(proxied, origin.http("/while-the-page-loads/" + sent.incrementAndGet()));
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            traffic.start();
            try {
                while (sent.get() < 3) {
                    Thread.sleep(20);
                }
                String page = "http://127.0.0.1:" + gangway.adminPort() + "/";
                String dom = browser(chromium, "--dump-dom", page);
                Path shot = Path.of("target", "admin-status-page.png").toAbsolutePath();
                Files.deleteIfExists(shot);
                browser(chromium, "--screenshot=" + shot, page);
                assertThat(dom).contains("<span id=\"state\" class=\"state ready\">ready</span>")
                        .contains("GET " + origin.http("/while-the-page-loads/"))
                        .contains("<td class=\"s2\">200</td>")
                        .contains("<td>127.0.0.1:" + gangway.port() + "</td>")
                        .contains("none: no credentials are held back");
                assertThat(Files.size(shot)).isGreaterThan(10_000);
                assertThat(Files.readAllBytes(shot)).startsWith(0x89, 'P', 'N', 'G');
            } finally {
                flowing.set(false);
                traffic.join(10_000);
            }
        }
    }

    /** Chromium headless as the machine's notes say it runs here: no sandbox (root), no network of its own. */
    private String browser(String chromium, String what, String url) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(temp, "chromium"),
                "--window-size=1280,1400", "--virtual-time-budget=4000", what, url));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    private static void send(HttpClient client, String url) throws Exception {
        client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String tool(String variable, String standard) {
        String path = System.getenv().getOrDefault(variable, standard);
        assumeTrue(new File(path).canExecute(), path + " (" + variable + ") is installed by .ci/run");
        return path;
    }
}
