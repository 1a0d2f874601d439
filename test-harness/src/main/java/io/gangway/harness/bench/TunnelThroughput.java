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
 * Each tunnel sends BYTES to an in-process sink, which then sends BYTES back. Prints the
 * throughput in MiB/s of both directions together.
 *
 * <p>Usage: {@code TunnelThroughput PROXY_PORT|direct BYTES TUNNELS}
 */
public final class TunnelThroughput {

    private static final int BUFFER = 64 * 1024;

    private TunnelThroughput() {
    }

    public static void main(String[] args) throws Exception {
        String proxy = args[0];
        long bytes = Long.parseLong(args[1]);
        int tunnels = Integer.parseInt(args[2]);
        try (ServerSocket sink = new ServerSocket()) {
            sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(() -> serve(sink, bytes), "sink");
            acceptor.setDaemon(true);
            acceptor.start();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(tunnels);
            List<Thread> clients = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < tunnels; i++) {
                Thread t = new Thread(() -> {
                    try {
                        client(proxy, sink.getLocalPort(), bytes);
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
    }

    private static void client(String proxy, int sinkPort, long bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            if (proxy.equals("direct")) {
                socket.connect(new InetSocketAddress("127.0.0.1", sinkPort));
            } else {
                socket.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(proxy)));
                socket.getOutputStream().write(("CONNECT 127.0.0.1:" + sinkPort + " HTTP/1.1\r\nHost: 127.0.0.1:"
                        + sinkPort + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
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
