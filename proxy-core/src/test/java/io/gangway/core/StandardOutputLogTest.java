package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.cli.GangwayCli;
import io.gangway.harness.ProxiedClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code gangway run} as its own process with the shipped logging configuration, read from its
 * standard output: access lines are batched per event-loop pass, so this proves they still come
 * promptly when traffic stops, whole and one per request under concurrency, and all of them
 * before the process exits on SIGTERM.
 */
class StandardOutputLogTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ACCESS_LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* INFO  access 127\\.0\\.0\\.1:\\d+ GET "
                    + "http://127\\.0\\.0\\.1:\\d+/\\S+ route=DIRECT auth=- status=200 in=0 out=2 ms=\\d+");

    private final List<String> lines = new ArrayList<>();
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
        assertThat(awaitLines("/last", 1, 5_000)).hasSize(1).allSatisfy(line -> assertThat(line).matches(ACCESS_LINE));
    }

    private int start() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        // The test class path has logback-test.xml first; the child must use the shipped one.
        String shippedConfig = GangwayCli.class.getResource("/logback.xml").toString();
        gangway = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + shippedConfig, GangwayCli.class.getName(),
                "run", "--listen", "127.0.0.1:0", "--routing", "direct")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "gangway-stdout");
        reader.setDaemon(true);
        reader.start();
        List<String> listening = awaitLines("listening on", 1, 30_000);
        assertThat(listening).as("gangway started; its output: %s", snapshot()).hasSize(1);
        Matcher m = LISTENING.matcher(listening.get(0));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(gangway.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private List<String> awaitLines(String marker, int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (lines) {
            while (true) {
                List<String> found = lines.stream().filter(l -> l.contains(marker)).toList();
                long left = deadline - System.currentTimeMillis();
                if (found.size() >= count || left <= 0) {
                    return found;
                }
                lines.wait(left);
            }
        }
    }

    private List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private static int get(HttpClient client, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(origin.http(path))).build();
        return client.send(request, BodyHandlers.discarding()).statusCode();
    }
}
