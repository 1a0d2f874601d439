package io.gangway.core.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The user's OS keyring, for the upstream password ({@code --password-from keyring}, {@code
 * gangway password set|delete}). Each operation runs the backend's tool with the environment
 * Gangway was given (so a private D-Bus session or keychain is honoured) and a time limit: an
 * unlock dialog that nobody answers ends in an error, not a hang.
 */
public final class Keyring {

    private static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);

    private final KeyringBackend backend;
    private final Map<String, String> env;
    private final java.time.Duration timeout;

    public Keyring(KeyringBackend backend, Map<String, String> env) {
        this(backend, env, TIMEOUT);
    }

    /** @param timeout how long the tool may take (a locked keyring's dialog that nobody answers) */
    Keyring(KeyringBackend backend, Map<String, String> env, java.time.Duration timeout) {
        this.backend = backend;
        this.env = env;
        this.timeout = timeout;
    }

    /** The keyring of the OS this runs on. */
    public static Keyring ofThisOs(Map<String, String> env) {
        return new Keyring(KeyringBackend.forOs(System.getProperty("os.name", "")), env);
    }

    public KeyringBackend backend() {
        return backend;
    }

    /** The stored password, or empty when there is none. */
    public Optional<char[]> lookup(String user) throws KeyringException {
        Result r = run(backend.lookup(user));
        if (r.exit != 0) {
            Arrays.fill(r.out, (byte) 0);
            // secret-tool says "no such entry" by exit 1 and nothing on stderr; with a message
            // (no D-Bus session, a locked or absent keyring daemon) exit 1 is a failure.
            if (r.exit == 1 && r.err.isEmpty() || r.exit == KeyringBackend.NOT_FOUND) {
                return Optional.empty();
            }
            throw failure("look up the password of '" + user + "'", r);
        }
        char[] password = decode(r.out);
        return password.length == 0 ? Optional.empty() : Optional.of(password);
    }

    public void store(String user, char[] password) throws KeyringException {
        Result r = run(backend.store(user, password));
        if (r.exit != 0) {
            throw failure("store the password of '" + user + "'", r);
        }
    }

    /** @return whether there was an entry to delete */
    public boolean delete(String user) throws KeyringException {
        boolean existed = lookup(user).map(p -> {
            Arrays.fill(p, '\0');
            return true;
        }).orElse(false);
        if (!existed) {
            return false; // secret-tool's clear cannot tell "none" from a failure
        }
        Result r = run(backend.delete(user));
        if (r.exit != 0 && r.exit != KeyringBackend.NOT_FOUND) {
            throw failure("delete the password of '" + user + "'", r);
        }
        return existed;
    }

    private record Result(int exit, byte[] out, String err) {
    }

    private Result run(KeyringBackend.Command command) throws KeyringException {
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, executable(argv.get(0)));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().putAll(env);
        builder.environment().putAll(command.env());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KeyringException("cannot run " + argv.get(0) + " for " + backend.description() + ": " + e.getMessage());
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                if (command.stdin() != null) {
                    in.write(command.stdin().getBytes(StandardCharsets.UTF_8));
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            // Both streams read on threads of their own: the limit below holds even when the tool
            // never writes, never closes its output or never exits.
            Thread errors = reader(process.getErrorStream(), err, "gangway-keyring-stderr");
            Thread output = reader(process.getInputStream(), out, "gangway-keyring-stdout");
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new KeyringException(backend.description() + " did not answer within " + timeout.toSeconds()
                        + " s (is the keyring locked, waiting for a password dialog?)");
            }
            output.join(1000);
            errors.join(1000);
            return new Result(process.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            process.destroyForcibly();
            throw new KeyringException("talking to " + backend.description() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new KeyringException("interrupted while waiting for " + backend.description());
        }
    }

    private static Thread reader(InputStream from, ByteArrayOutputStream to, String name) {
        Thread t = new Thread(() -> copy(from, to), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** The tool's path, found on the PATH of the environment Gangway was given (the JVM's own would differ in tests). */
    private String executable(String tool) throws KeyringException {
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            for (String name : List.of(tool, tool + ".exe")) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        throw new KeyringException("cannot find " + tool + " on the PATH for " + backend.description()
                + (backend == KeyringBackend.SECRET_SERVICE ? " (Debian: apt install libsecret-tools)" : ""));
    }

    private static void copy(InputStream from, ByteArrayOutputStream to) {
        try (from) {
            from.transferTo(to);
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }

    /** The tool's output without its line end; the bytes read are wiped. */
    private static char[] decode(byte[] out) {
        int end = out.length;
        while (end > 0 && (out[end - 1] == '\n' || out[end - 1] == '\r')) {
            end--;
        }
        java.nio.CharBuffer chars = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(out, 0, end));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        Arrays.fill(out, (byte) 0);
        return password;
    }

    private KeyringException failure(String what, Result r) {
        return new KeyringException("cannot " + what + " in " + backend.description() + " (exit " + r.exit
                + (r.err.isEmpty() ? "" : ": " + r.err) + ")");
    }
}
