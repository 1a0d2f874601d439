package io.gangway.core.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.secrets.PrivateSecretService;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Passwords without plain files: stored by {@code gangway password set} in a real Secret
 * Service (GNOME Keyring on a private D-Bus session) and used by a Gangway with
 * {@code --password-from keyring} against an upstream that checks them; and asked for at a real
 * terminal (a pseudo-terminal made by util-linux's {@code script}) by {@code gangway run}.
 */
class PasswordSourcesTest {

    @TempDir
    static Path home;
    private static PrivateSecretService service;
    private static Origin origin;

    @BeforeAll
    static void start() throws Exception {
        service = PrivateSecretService.start(home);
        origin = Origin.answering("ok");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        origin.close();
    }

    private static CliRun password(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        return CliRun.of(PasswordCommand.commandLine(service.env(), in), args);
    }

    @Test
    void aPasswordSetInTheKeyringIsWhatRunLogsInWith() throws Exception {
        assumeTrue(service != null, "dbus-daemon, gnome-keyring-daemon and secret-tool are installed by .ci/run");
        BasicChallenger basic = new BasicChallenger("CORP\\bob", "Keyring-Pa55");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic)) {
            CliRun set = password("Keyring-Pa55\n", "set", "--user", "CORP\\bob");
            assertThat(set.exit()).as(set.err()).isZero();
            assertThat(set.out()).contains("stored the password of 'CORP\\bob' in the Secret Service (secret-tool)");

            RunningGangway.Builder builder = RunningGangway.builder().with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + upstream.port())
                    .with(ConfigKey.USER, "CORP\\bob").with(ConfigKey.PASSWORD_FROM, "keyring");
            service.env().forEach(builder::env);
            try (RunningGangway gangway = builder.start(); CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/keyring")))).isEqualTo("ok");
                assertThat(basic.accepted()).isEqualTo(1);
            }

            CliRun delete = password("", "delete", "--user", "CORP\\bob");
            assertThat(delete.exit()).isZero();
            assertThat(delete.out()).contains("deleted the password of 'CORP\\bob'");
            assertThat(password("", "delete", "--user", "CORP\\bob").exit()).as("none left").isEqualTo(1);
            org.assertj.core.api.Assertions.assertThatThrownBy(builder::start).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("'password-from': no password for 'CORP\\bob' in the keyring: store it with "
                            + "'gangway password set --user CORP\\bob'");
        }
    }

    @Test
    void anEmptyPasswordIsNotStored() {
        assumeTrue(service != null, "dbus-daemon, gnome-keyring-daemon and secret-tool are installed by .ci/run");
        CliRun empty = password("\n", "set", "--user", "nobody-at-all");
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err()).contains("no password given; nothing was stored");
        assertThat(password("", "delete", "--user", "nobody-at-all").exit()).isEqualTo(1);
    }

    /** gangway run in a pseudo-terminal: it asks once (for both profiles), without echo, and logs in with the answer. */
    @Test
    void runAsksAtTheTerminalOnceAndUsesTheAnswer() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script makes the terminal");
        BasicChallenger basic = new BasicChallenger("carol", "Typed-Pa55");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic)) {
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            Process terminal = inATerminal(seen, "run", "--listen", "127.0.0.1:" + port, "--upstream",
                    "http://127.0.0.1:" + upstream.port(), "--user", "carol", "--lockout-state", "none");
            try {
                awaitText(seen, "Password of carol for the upstream proxy: ");
                OutputStream keys = terminal.getOutputStream();
                keys.write("Typed-Pa55\r".getBytes(StandardCharsets.UTF_8));
                keys.flush();
                awaitText(seen, "listening on 127.0.0.1:" + port);
                try (CloseableHttpClient client = ProxiedClients.apache(port)) {
                    assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/typed")))).isEqualTo("ok");
                }
                assertThat(basic.accepted()).isEqualTo(1);
                String screen = seen.toString(StandardCharsets.UTF_8);
                assertThat(screen.split("Password of carol", -1)).as("asked once").hasSize(2);
                assertThat(screen).as("no echo").doesNotContain("Typed-Pa55");
            } finally {
                terminal.descendants().forEach(ProcessHandle::destroy);
                terminal.destroy();
                terminal.waitFor(10, TimeUnit.SECONDS);
                terminal.descendants().forEach(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** gangway hash with its output to a file and the terminal for input: the password is not echoed. */
    @Test
    void hashToAFileReadsThePasswordWithoutEcho(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script makes the terminal");
        Path out = dir.resolve("nt-hash");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        List<Thread> readers = new java.util.ArrayList<>();
        Process terminal = inATerminal(seen, readers, "hash", ">", out.toString());
        try {
            awaitText(seen, "Password: ");
            terminal.getOutputStream().write("Hidden-Pa55\r".getBytes(StandardCharsets.UTF_8));
            terminal.getOutputStream().flush();
            assertThat(terminal.waitFor(30, TimeUnit.SECONDS)).isTrue();
            readers.get(0).join(5_000); // all the terminal showed is read
            assertThat(seen.toString(StandardCharsets.UTF_8)).as("no echo").doesNotContain("Hidden-Pa55");
            assertThat(Files.readString(out).trim()).isEqualTo(java.util.HexFormat.of()
                    .formatHex(io.gangway.auth.NtlmScheme.ntHash("Hidden-Pa55".toCharArray())));
        } finally {
            terminal.destroyForcibly();
        }
    }

    /** gangway hash --client at a terminal: asked twice without echo, the entry printed verifies the password. */
    @Test
    void hashForAClientAtATerminalAsksTwiceWithoutEcho() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux's script makes the terminal");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        List<Thread> readers = new java.util.ArrayList<>();
        Process terminal = inATerminal(seen, readers, "hash", "--client", "alice");
        try {
            awaitText(seen, "Password of alice: ");
            terminal.getOutputStream().write("Client-Pa55\r".getBytes(StandardCharsets.UTF_8));
            terminal.getOutputStream().flush();
            awaitText(seen, "Again: ");
            terminal.getOutputStream().write("Client-Pa55\r".getBytes(StandardCharsets.UTF_8));
            terminal.getOutputStream().flush();
            assertThat(terminal.waitFor(30, TimeUnit.SECONDS)).isTrue();
            readers.get(0).join(5_000);
            String shown = seen.toString(StandardCharsets.UTF_8);
            assertThat(shown).as("no echo").doesNotContain("Client-Pa55");
            java.util.regex.Matcher entry = java.util.regex.Pattern.compile("alice:(\\S+)").matcher(shown);
            assertThat(entry.find()).as(shown).isTrue();
            assertThat(io.gangway.core.clientauth.PasswordHash.parse(entry.group(1)).matches("Client-Pa55".toCharArray())).isTrue();
        } finally {
            terminal.destroyForcibly();
        }
    }

    /**
     * {@code gangway ARGS} (a shell's words: {@code >} redirects) in a pseudo-terminal made by
     * util-linux's {@code script}; what the terminal shows is collected in {@code seen}.
     */
    private static Process inATerminal(ByteArrayOutputStream seen, String... args) throws java.io.IOException {
        return inATerminal(seen, null, args);
    }

    /** @param readers receives the thread that reads the terminal, to be joined once it has ended */
    private static Process inATerminal(ByteArrayOutputStream seen, List<Thread> readers, String... args)
            throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> words = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                GangwayCli.class.getName()));
        words.addAll(List.of(args));
        Process terminal = new ProcessBuilder("script", "-qfec", String.join(" ", words), "/dev/null")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try {
                terminal.getInputStream().transferTo(seen);
            } catch (java.io.IOException e) {
                // the terminal closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (readers != null) {
            readers.add(reader);
        }
        return terminal;
    }

    private static void awaitText(ByteArrayOutputStream seen, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' on the terminal; it shows: " + seen.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }
}
