package io.gangway.harness.bench;

import io.gangway.harness.RawServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Bulk throughput through CONNECT tunnels (benchmark case 1), or directly as the baseline.
 * Each tunnel sends BYTES to a sink, which then sends BYTES back. Prints the throughput in MiB/s
 * of both directions together.
 *
 * <p>Usage: {@code TunnelThroughput PROXY_PORT|PROXY_HOST:PORT|direct BYTES TUNNELS SINK_HOST:PORT}:
 * the tunnels go to a sink of another process ({@code direct} connects to it as a client that
 * knows no proxy: to a TCP relay in front of it, or redirected by the kernel in transparent mode).
 * {@code TunnelThroughput sink ADDRESS PORT BYTES} runs such a sink until it is killed.
 */
public final class TunnelThroughput {

    private static final int BUFFER = 64 * 1024;

    private TunnelThroughput() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            try (ServerSocket sink = new ServerSocket()) {
                sink.bind(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])));
                System.out.println("sink on " + sink.getLocalSocketAddress());
                serve(sink, Long.parseLong(args[3]));
            }
            return;
        }
        String proxy = args[0];
        long bytes = Long.parseLong(args[1]);
        int tunnels = Integer.parseInt(args[2]);
        int colon = args[3].lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(args[3].substring(0, colon),
                Integer.parseInt(args[3].substring(colon + 1)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(tunnels);
        List<Thread> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < tunnels; i++) {
            Thread t = new Thread(() -> {
                try {
                    client(proxy, target, bytes);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            clients.add(t);
            t.start();
        }
        done.await();
        long nanos = System.nanoTime() - start;
        if (failure.get() != null) {
            System.err.println("failed: " + failure.get());
            System.exit(1);
        }
        double mib = 2.0 * bytes * tunnels / (1024 * 1024);
        System.out.printf("%.0f%n", mib / (nanos / 1e9));
    }

    private static void client(String proxy, InetSocketAddress target, long bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            if (proxy.equals("direct")) {
                socket.connect(target);
            } else {
                int colon = proxy.lastIndexOf(':');
                socket.connect(colon < 0 ? new InetSocketAddress("127.0.0.1", Integer.parseInt(proxy))
                        : new InetSocketAddress(proxy.substring(0, colon), Integer.parseInt(proxy.substring(colon + 1))));
                String authority = target.getAddress().getHostAddress() + ":" + target.getPort();
                socket.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String head = RawServer.readHead(socket.getInputStream());
                if (!head.startsWith("HTTP/1.1 200") && !head.startsWith("HTTP/1.0 200")) {
                    throw new IOException("CONNECT refused: " + head.lines().findFirst().orElse(head));
                }
            }
            pump(socket.getOutputStream(), bytes);
            drain(socket.getInputStream(), bytes);
        }
    }

    private static void serve(ServerSocket sink, long bytes) {
        while (!sink.isClosed()) {
            try {
                Socket s = sink.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        drain(s.getInputStream(), bytes);
                        pump(s.getOutputStream(), bytes);
                    } catch (IOException e) {
                        // the client reports
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(OutputStream out, long bytes) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (long left = bytes; left > 0; ) {
            int n = (int) Math.min(buffer.length, left);
            out.write(buffer, 0, n);
            left -= n;
        }
        out.flush();
    }

    private static void drain(InputStream in, long bytes) throws IOException {
        byte[] buffer = new byte[BUFFER];
        for (long left = bytes; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("closed with " + left + " bytes to go");
            }
            left -= n;
        }
    }
}
