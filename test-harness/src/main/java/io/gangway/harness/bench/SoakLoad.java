package io.gangway.harness.bench;

import io.gangway.harness.RawServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One soak client: paced requests through Gangway to the local origin, in turn a plain GET on a
 * new connection, a plain GET on a kept-alive connection, a GET through a new CONNECT tunnel and
 * one through a kept-alive tunnel. A kept-alive connection serves {@link #REUSE} requests, then a
 * new one is opened. A request fails on anything but a 200 with the origin's body within
 * {@link #TIMEOUT_MS}; its connection is then dropped.
 */
final class SoakLoad implements Runnable {

    enum Op { GET_NEW, GET_KEPT, TUNNEL_NEW, TUNNEL_KEPT }

    /** A failed request: when it started and ended (ms from the run's start), and what went wrong. */
    record Failure(long startMs, long endMs, Op op, String what) {
    }

    static final int REUSE = 50;
    static final int TIMEOUT_MS = 15_000;

    private final int proxyPort;
    private final int originPort;
    private final long startNanos;
    private final long endNanos;
    private final long intervalNanos;
    private final AtomicLongArray requests;
    private final ConcurrentLinkedQueue<Failure> failures;
    private Connection kept;
    private Connection tunnel;

    /** {@code requests}: counts per {@link Op}, shared by the clients; {@code rate}: this client's requests per second. */
    SoakLoad(int proxyPort, int originPort, long startNanos, long endNanos, double rate,
             AtomicLongArray requests, ConcurrentLinkedQueue<Failure> failures) {
        this.proxyPort = proxyPort;
        this.originPort = originPort;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.intervalNanos = (long) (1e9 / rate);
        this.requests = requests;
        this.failures = failures;
    }

    @Override
    public void run() {
        long next = System.nanoTime();
        Op[] ops = Op.values();
        for (long n = 0; ; n++) {
            next += intervalNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleepNanos(wait);
            } else if (wait < -1_000_000_000L) {
                next = System.nanoTime(); // a request that took long does not buy a burst after it
            }
            if (System.nanoTime() >= endNanos) {
                break;
            }
            Op op = ops[(int) (n % ops.length)];
            long started = ms();
            requests.incrementAndGet(op.ordinal());
            try {
                request(op);
            } catch (IOException | RuntimeException e) {
                failures.add(new Failure(started, ms(), op, describe(e)));
                drop(op);
            }
        }
        close(kept);
        close(tunnel);
    }

    private void request(Op op) throws IOException {
        switch (op) {
            case GET_NEW -> {
                try (Connection c = open()) {
                    get(c, "http://127.0.0.1:" + originPort + "/new", true);
                }
            }
            case GET_KEPT -> {
                if (kept == null) {
                    kept = open();
                }
                get(kept, "http://127.0.0.1:" + originPort + "/kept", kept.uses + 1 == REUSE);
                if (++kept.uses == REUSE) {
                    drop(op);
                }
            }
            case TUNNEL_NEW -> {
                try (Connection c = openTunnel()) {
                    get(c, "/tunnel-new", true);
                }
            }
            case TUNNEL_KEPT -> {
                if (tunnel == null) {
                    tunnel = openTunnel();
                }
                get(tunnel, "/tunnel-kept", tunnel.uses + 1 == REUSE);
                if (++tunnel.uses == REUSE) {
                    drop(op);
                }
            }
            default -> throw new IllegalStateException(op.toString());
        }
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw new IOException("connecting to Gangway: " + e.getMessage(), e);
        }
    }

    private Connection openTunnel() throws IOException {
        Connection c = open();
        try {
            String authority = "127.0.0.1:" + originPort;
            c.write("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            String head = RawServer.readHead(c.in);
            if (!head.startsWith("HTTP/1.1 200")) {
                throw new IOException("CONNECT answered " + summary(head));
            }
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** One GET on {@code c}: a 200 with the origin's body, or an IOException saying what came instead. */
    private static void get(Connection c, String target, boolean last) throws IOException {
        c.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (last ? "Connection: close\r\n" : "") + "\r\n");
        String head = RawServer.readHead(c.in);
        int length = contentLength(head);
        byte[] body = c.in.readNBytes(Math.max(length, 0));
        if (!head.startsWith("HTTP/1.1 200")) {
            throw new IOException("answered " + summary(head) + bodyHint(body));
        }
        if (length < 0 || !new String(body, StandardCharsets.US_ASCII).equals(SoakPeers.BODY)) {
            throw new IOException("a 200 without the origin's body (" + body.length + " bytes, head " + summary(head) + ")");
        }
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return -1;
    }

    /** The status line and Gangway's Proxy-Status, which say what failed. */
    private static String summary(String head) {
        List<String> lines = List.of(head.split("\r\n"));
        String status = lines.get(0);
        return lines.stream().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("proxy-status:"))
                .findFirst().map(l -> status + " [" + l + "]").orElse(status);
    }

    private static String bodyHint(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private void drop(Op op) {
        if (op == Op.GET_KEPT) {
            close(kept);
            kept = null;
        } else if (op == Op.TUNNEL_KEPT) {
            close(tunnel);
            tunnel = null;
        }
    }

    private static void close(Connection c) {
        if (c != null) {
            c.close();
        }
    }

    private long ms() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client socket and its buffered input; {@code uses}: requests served on it. */
    private static final class Connection implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        int uses;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
        }

        void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket that is already gone
            }
        }
    }
}
