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
        Path busConfig = Files.writeString(home.resolve("bus.conf"), busConfig(runtime));
        bus = new ProcessBuilder("dbus-daemon", "--config-file=" + busConfig, "--nofork", "--print-address=1")
                .redirectErrorStream(true).start();
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

    /**
     * A session bus without service directories. With the system's session configuration, a
     * client that asks before our daemon has taken its name makes the bus start a second
     * gnome-keyring-daemon of its own (D-Bus activation), without the unlock password: when that
     * one wins the name, there is no login collection, and a store fails with "Object does not
     * exist at path /org/freedesktop/secrets/collection/login".
     */
    private static String busConfig(Path runtime) {
        return """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:dir=%s</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(runtime);
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

    /** Until an item can be stored in the login collection and cleared again: the daemon has its name and has unlocked. */
    private void awaitService() throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (keyring.isAlive() && secretTool("probe", "store", "--label=gangway-probe", "service", "gangway-probe")
                    && secretTool("", "clear", "service", "gangway-probe")) {
                return;
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("gnome-keyring-daemon did not come up: see " + env.get("HOME") + "/keyring.log");
    }

    private boolean secretTool(String stdin, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "secret-tool";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder probe = new ProcessBuilder(command).redirectErrorStream(true);
        probe.environment().putAll(env);
        Process p = probe.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
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
