package io.gangway.core;

import static io.gangway.core.LoopbackPorts.accepts;
import static io.gangway.core.LoopbackPorts.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.cli.GangwayCli;
import io.gangway.harness.ProxiedClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway run} as its own process with its own logging set-up (GangwayLogConfigurator),
 * read from its standard output: access lines are batched per event-loop pass, so this proves
 * they still come promptly when traffic stops, whole and one per request under concurrency, and
 * all of them before the process exits on SIGTERM (with 0, and a last "stopped" line); and that
 * GANGWAY_LOG_LEVEL sets the level, the lines of where it listens and of its stop shown at any.
 */
class StandardOutputLogTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    private static final Pattern ACCESS_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO  access 127\\.0\\.0\\.1:\\d+ GET "
                    + "http://127\\.0\\.0\\.1:\\d+/\\S+ profile=engine route=DIRECT auth=- status=200 in=0 out=2 ms=\\d+");

    @TempDir
    Path temp;
    private Path output;
    private Process gangway;

    @AfterEach
    void stop() throws InterruptedException {
        if (gangway != null) {
            gangway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void accessLinesArePromptWholeAndAllWrittenBeforeExit() throws Exception {
        int port = start();
        HttpClient client = ProxiedClients.jdk(port);

        // One request and then silence: its line must not wait for more traffic.
        assertThat(get(client, "/alone")).isEqualTo(200);
        assertThat(awaitLines("/alone", 1, 5_000)).hasSize(1);

        // 400 requests from 8 threads: one whole line each, none torn or merged.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String path = "/burst/" + i;
                answers.add(pool.submit(() -> get(client, path)));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> burst = awaitLines("/burst/", 400, 10_000);
        assertThat(burst).hasSize(400).allSatisfy(line -> assertThat(line).matches(ACCESS_LINE));
        assertThat(burst.stream().map(line -> line.replaceAll(".*/burst/(\\d+) .*", "$1")).distinct()).hasSize(400);

        // The last request, then SIGTERM at once: its line is out before the process ends.
        assertThat(get(client, "/last")).isEqualTo(200);
        gangway.destroy();
        assertThat(gangway.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(awaitLines("/last", 1, 5_000)).as("output: %s", tail()).hasSize(1).allSatisfy(line -> assertThat(line).matches(ACCESS_LINE));
        assertThat(gangway.exitValue()).as("a SIGTERM is a clean stop").isZero();
        assertThat(snapshot()).last().asString().endsWith(" INFO  lifecycle stopped");
    }

    @Test
    void logLevelComesFromTheEnvironment() throws Exception {
        int port = start(Map.of("GANGWAY_LOG_LEVEL", "WARN"));
        HttpClient client = ProxiedClients.jdk(port);
        int closedPort = freePort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/refused")).build();
        assertThat(client.send(request, BodyHandlers.discarding()).statusCode()).isEqualTo(502);
        assertThat(awaitLines("/refused", 1, 5_000)).singleElement().asString().contains(" WARN  ").contains("502");
        assertThat(get(client, "/fine")).isEqualTo(200);
        gangway.destroy();
        assertThat(gangway.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(gangway.exitValue()).isZero();
        // At WARN only where it listens and that it stopped are said at INFO: a user needs them.
        assertThat(snapshot()).filteredOn(line -> line.contains(" INFO  "))
                .allSatisfy(line -> assertThat(line).contains(" INFO  lifecycle "))
                .anySatisfy(line -> assertThat(line).endsWith("lifecycle listening on 127.0.0.1:" + port))
                .anySatisfy(line -> assertThat(line).endsWith("lifecycle stopped"))
                .anySatisfy(line -> assertThat(line).contains("lifecycle " + io.gangway.core.BuildInfo.current().describe()));
    }

    @Test
    void sighupReloadsTheConfigurationFile() throws Exception {
        int port = freePort();
        int second = freePort();
        Path yaml = temp.resolve("gangway.yaml");
        Files.writeString(yaml, "routing: direct\nlisten: 127.0.0.1:" + port + "\n");
        launch(port, Map.of(), "--config", yaml.toString());
        Files.writeString(yaml, "routing: direct\nlisten: [127.0.0.1:" + port + ", 127.0.0.1:" + second + "]\n");
        new ProcessBuilder("kill", "-HUP", String.valueOf(gangway.pid())).start().waitFor(10, TimeUnit.SECONDS);
        assertThat(awaitLines("configuration reloaded", 1, 10_000)).as("output: %s", tail()).singleElement().asString()
                .endsWith("lifecycle configuration reloaded; now also listening on 127.0.0.1:" + second);
        assertThat(get(ProxiedClients.jdk(second), "/after-the-reload")).isEqualTo(200);
        assertThat(get(ProxiedClients.jdk(port), "/on-the-first-listener")).isEqualTo(200);
        assertThat(gangway.isAlive()).as("SIGHUP is not a stop").isTrue();
    }

    private int start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    private int start(Map<String, String> environment) throws IOException, InterruptedException {
        int port = freePort(); // chosen here: at WARN level Gangway does not say where it listens
        launch(port, environment, "--listen", "127.0.0.1:" + port, "--routing", "direct");
        return port;
    }

    /** Starts {@code gangway run ARGS} and waits until {@code port} accepts. */
    private void launch(int port, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        output = temp.resolve("gangway.out");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // Without -Dlogback.configurationFile (which the tests' JVM has), as users run it.
        // To a file, not a pipe: a JDK thread reading a child's pipe can fail with "Stream closed"
        // when the child exits, losing its last lines.
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                GangwayCli.class.getName(), "run"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        gangway = builder.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!accepts(port)) {
            assertThat(gangway.isAlive() && System.currentTimeMillis() < deadline)
                    .as("gangway started; its output: %s", snapshot()).isTrue();
            Thread.sleep(20);
        }
    }

    private List<String> awaitLines(String marker, int count, long timeoutMillis)
            throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<String> found = snapshot().stream().filter(l -> l.contains(marker)).toList();
            if (found.size() >= count || System.currentTimeMillis() >= deadline) {
                return found;
            }
            Thread.sleep(20);
        }
    }

    private List<String> tail() throws IOException {
        List<String> all = snapshot();
        return all.subList(Math.max(0, all.size() - 5), all.size());
    }

    /** Whole lines written so far (a last line still being written is left out). */
    private List<String> snapshot() throws IOException {
        String text = Files.readString(output, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n') + 1;
        return text.substring(0, end).lines().toList();
    }

    private static int get(HttpClient client, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin.http(path))).build();
        return client.send(request, BodyHandlers.discarding()).statusCode();
    }
}
