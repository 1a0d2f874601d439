package io.gangway.harness.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The soak driver behind {@code bench/soak}. Starts the peers (origin, PAC server, challenging
 * upstream), writes Gangway's configuration into {@code DIR/gangway.yaml}, waits for the script to
 * start Gangway with it (its pid in {@code DIR/gangway.pid}), then runs the load, the fault
 * schedule and the sampler for the duration and writes {@code DIR/summary.txt},
 * {@code DIR/summary.json} and {@code DIR/samples.csv}. Exits 1 when the soak failed.
 *
 * <p>{@code Soak --dir DIR --duration-s N [--warmup-s N] [--rate N] [--clients N] [--auth ntlm|basic]
 * [--fault-every-s N] [--sample-every-s N] [--gangway-port N]}
 */
public final class Soak {

    /** Gangway's settings that the faults rely on: a PAC refetched often, short credential back-offs. */
    static final long PAC_REFRESH_MS = 2_000;
    static final long LOCKOUT_BACKOFF_MS = 1_000;
    static final long LOCKOUT_BACKOFF_MAX_MS = 4_000;

    /** Netty logs through java.util.logging here: the upstream's abort on each restart would fill the output. */
    private static final java.util.logging.Logger NETTY_LOG = java.util.logging.Logger.getLogger("io.netty");

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        NETTY_LOG.setLevel(java.util.logging.Level.OFF);
        Map<String, String> opt = options(args);
        Path dir = Path.of(opt.get("dir"));
        long durationMs = Long.parseLong(opt.get("duration-s")) * 1000;
        long warmupMs = Long.parseLong(opt.getOrDefault("warmup-s", Long.toString(Math.min(300, durationMs / 4000)))) * 1000;
        double rate = Double.parseDouble(opt.getOrDefault("rate", "200"));
        int clients = Integer.parseInt(opt.getOrDefault("clients", "4"));
        long faultEveryMs = Long.parseLong(opt.getOrDefault("fault-every-s", "20")) * 1000;
        long sampleEveryMs = Long.parseLong(opt.getOrDefault("sample-every-s", "2")) * 1000;
        int gangwayPort = Integer.parseInt(opt.getOrDefault("gangway-port", "0"));
        if (gangwayPort == 0) {
            gangwayPort = freePort();
        }
        Files.createDirectories(dir);
        int exit;
        try (SoakPeers peers = new SoakPeers(opt.getOrDefault("auth", "ntlm"), dir)) {
            Files.writeString(dir.resolve("gangway.yaml"), config(peers, gangwayPort));
            System.out.println("# peers up: origin 127.0.0.1:" + peers.originPort() + ", PAC " + peers.pacUrl()
                    + ", upstream 127.0.0.1:" + peers.upstreamPort() + "; waiting for Gangway on 127.0.0.1:" + gangwayPort);
            long pid = awaitGangway(dir.resolve("gangway.pid"), gangwayPort);
            exit = run(dir, peers, pid, gangwayPort, durationMs, warmupMs, rate, clients, faultEveryMs, sampleEveryMs);
        }
        System.exit(exit);
    }

    private static int run(Path dir, SoakPeers peers, long pid, int port, long durationMs, long warmupMs, double rate,
                           int clients, long faultEveryMs, long sampleEveryMs) throws Exception {
        System.out.printf("# soak: %d s, %d clients, %.0f requests/s in all, a fault every %d s, warm-up %d s%n",
                durationMs / 1000, clients, rate, faultEveryMs / 1000, warmupMs / 1000);
        long start = System.nanoTime();
        SoakSampler sampler = new SoakSampler(pid, start, sampleEveryMs);
        SoakFaults faults = new SoakFaults(peers, start, durationMs, faultEveryMs, PAC_REFRESH_MS, LOCKOUT_BACKOFF_MAX_MS);
        AtomicLongArray requests = new AtomicLongArray(SoakLoad.Op.values().length);
        ConcurrentLinkedQueue<SoakLoad.Failure> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        Thread samplerThread = start("soak-sampler", sampler);
        Thread faultThread = start("soak-faults", faults);
        for (int i = 0; i < clients; i++) {
            threads.add(start("soak-client-" + i, new SoakLoad(port, peers.originPort(), start,
                    start + durationMs * 1_000_000, rate / clients, requests, failures)));
        }
        for (Thread t : threads) {
            t.join();
        }
        faultThread.interrupt();
        faultThread.join();
        samplerThread.interrupt();
        samplerThread.join();

        long[] counts = new long[requests.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = requests.get(i);
        }
        SoakReport report = new SoakReport(sampler.samples(), warmupMs, counts, List.copyOf(failures), faults.windows());
        if (faults.error() != null) {
            report.problem(faults.error());
        }
        if (sampler.gone() || sampler.sample() == null) {
            report.problem("Gangway (pid " + pid + ") exited during the soak");
        }
        StringBuilder csv = new StringBuilder("ms,rss_kib,fds\n");
        sampler.samples().forEach(s -> csv.append(s.ms()).append(',').append(s.rssKib()).append(',').append(s.fds()).append('\n'));
        Files.writeString(dir.resolve("samples.csv"), csv);
        Files.writeString(dir.resolve("summary.txt"), report.text());
        Files.writeString(dir.resolve("summary.json"), report.json());
        System.out.print(report.text());
        return report.failures().isEmpty() ? 0 : 1;
    }

    private static Thread start(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.start();
        return t;
    }

    /** Gangway's configuration: PAC routing to the peers, the password from the file the faults change. */
    private static String config(SoakPeers peers, int port) {
        return "# written by bench/soak\n"
                + "listen: 127.0.0.1:" + port + "\n"
                + "routing: pac\n"
                + "pac: " + peers.pacUrl() + "\n"
                + "pac-refresh: " + PAC_REFRESH_MS + "ms\n"
                + "user: '" + peers.user() + "'\n"
                + "password-file: " + peers.passwordFile() + "\n"
                + "lockout-backoff: " + LOCKOUT_BACKOFF_MS + "ms\n"
                + "lockout-backoff-max: " + LOCKOUT_BACKOFF_MAX_MS + "ms\n"
                + "lockout-state: none\n"
                + "access-log: false\n";
    }

    /** Waits (up to 3 minutes: the launcher may build first) for the pid file and Gangway's port. */
    private static long awaitGangway(Path pidFile, int port) throws Exception {
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IllegalStateException("Gangway (pid " + pid + ") exited before it listened; see gangway.log");
                }
                if (accepts(port)) {
                    return pid;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Gangway did not start listening on 127.0.0.1:" + port);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opt.put(args[i].substring(2), args[i + 1]);
        }
        if (!opt.containsKey("dir") || !opt.containsKey("duration-s")) {
            throw new IllegalArgumentException("usage: Soak --dir DIR --duration-s N [options]");
        }
        return opt;
    }
}
