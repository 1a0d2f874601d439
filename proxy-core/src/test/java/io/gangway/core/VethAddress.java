package io.gangway.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local address that is not loopback, for a test class: one end of a veth pair gets
 * {@code 198.18.23.1/24} (a benchmarking range, RFC 2544: never an outside address), both ends up,
 * and the pair is deleted after the class, whatever happened. Veth rather than a dummy interface:
 * this machine's kernel has no dummy module. The class is skipped, saying why, when it cannot be
 * made (not root, no {@code ip}).
 * {@code @RegisterExtension static final VethAddress veth = new VethAddress();}
 */
final class VethAddress implements BeforeAllCallback, AfterAllCallback {

    static final String ADDRESS = "198.18.23.1";
    private static final String NAME = "gwegress0";
    private static final String PEER = "gwegress1";

    private boolean created;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2's ip to make a veth pair with a local non-loopback address");
        Assumptions.assumeTrue(run("id", "-u").strip().equals("0"), "needs root to make a veth pair");
        ip("link", "del", NAME); // left by a run that was killed; absent normally, and then this fails
        try {
            check(ip("link", "add", NAME, "type", "veth", "peer", "name", PEER));
            created = true;
            check(ip("addr", "add", ADDRESS + "/24", "dev", NAME));
            check(ip("link", "set", NAME, "up"));
            check(ip("link", "set", PEER, "up"));
        } catch (IOException | RuntimeException e) {
            afterAll(context);
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (created) {
            created = false;
            check(ip("link", "del", NAME)); // its peer goes with it
        }
    }

    private record Result(int code, String output) {
    }

    private static Result ip(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer in 30 s");
        }
        return new Result(p.exitValue(), String.join(" ", command) + ": " + out.strip());
    }

    private static void check(Result r) {
        if (r.code() != 0) {
            throw new IllegalStateException(r.output());
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
