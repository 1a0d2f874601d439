package io.gangway.core.secrets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Secret Service for a test: a private D-Bus session bus and a GNOME Keyring daemon on
 * it, with their own home, unlocked with a throwaway password; nothing of the machine's own
 * session is touched, and both processes end with {@link #close}. {@link #env} is what a client
 * (secret-tool, Gangway) needs to reach it.
 */
public final class PrivateSecretService implements AutoCloseable {

    private final Process bus;
    private final Process keyring;
    private final Map<String, String> env = new HashMap<>();

    private PrivateSecretService(Path home) throws IOException, InterruptedException {
        Path runtime = Files.createDirectories(home.resolve("run"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        env.put("HOME", home.toString());
        env.put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("XDG_RUNTIME_DIR", runtime.toString());
        env.put("PATH", System.getenv("PATH"));
        bus = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1").redirectErrorStream(true).start();
        String address = new BufferedReader(new InputStreamReader(bus.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (address == null || !address.startsWith("unix:")) {
            bus.destroyForcibly();
            throw new IOException("dbus-daemon gave no address: " + address);
        }
        env.put("DBUS_SESSION_BUS_ADDRESS", address.trim());
        ProcessBuilder daemon = new ProcessBuilder("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
                .redirectErrorStream(true).redirectOutput(home.resolve("keyring.log").toFile());
        daemon.environment().putAll(env);
        keyring = daemon.start();
        try (OutputStream in = keyring.getOutputStream()) {
            in.write("unlock-Pa55".getBytes(StandardCharsets.UTF_8)); // the login keyring's own password
        }
        awaitService();
    }

    /** Starts one, or returns null when the tools are not installed (.ci/run installs them). */
    public static PrivateSecretService start(Path home) throws IOException, InterruptedException {
        for (String tool : new String[] {"dbus-daemon", "gnome-keyring-daemon", "secret-tool"}) {
            if (!onPath(tool)) {
                return null;
            }
        }
        return new PrivateSecretService(home);
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    /** Until secret-tool can search the collection: the daemon has taken its name on the bus. */
    private void awaitService() throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            ProcessBuilder probe = new ProcessBuilder("secret-tool", "search", "service", "gangway-probe")
                    .redirectErrorStream(true);
            probe.environment().putAll(env);
            Process p = probe.start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 127 && keyring.isAlive()
                    && Files.exists(Path.of(env.get("XDG_RUNTIME_DIR"), "keyring"))) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("gnome-keyring-daemon did not come up");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (Process p : new Process[] {keyring, bus}) {
            if (p != null) {
                p.destroy();
                try {
                    if (!p.waitFor(5, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
