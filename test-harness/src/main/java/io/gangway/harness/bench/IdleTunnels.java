package io.gangway.harness.bench;

import io.gangway.harness.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Benchmark case 4: opens COUNT CONNECT tunnels through a proxy and holds them idle, so the
 * proxy's memory can be read while they stay open. {@code IdleTunnels sink PORT} runs the far
 * end (accepts and holds); {@code IdleTunnels hold PROXY_PORT SINK_PORT COUNT} opens the tunnels,
 * prints "held N" and waits until killed.
 */
public final class IdleTunnels {

    private IdleTunnels() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            sink(Integer.parseInt(args[1]));
        } else {
            hold(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void sink(int port) throws IOException {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
            while (true) {
                held.add(server.accept());
            }
        }
    }

    private static void hold(int proxyPort, int sinkPort, int count) throws Exception {
        List<Socket> held = new ArrayList<>(count);
        byte[] connect = ("CONNECT 127.0.0.1:" + sinkPort + " HTTP/1.1\r\nHost: 127.0.0.1:" + sinkPort + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        int failed = 0;
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), 10_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(connect);
                if (RawServer.readHead(socket.getInputStream()).contains(" 200")) {
                    held.add(socket);
                    continue;
                }
            } catch (IOException e) {
                // counted below
            }
            failed++;
            socket.close();
        }
        System.out.println("held " + held.size() + " failed " + failed);
        System.out.flush();
        Thread.currentThread().join();
    }
}
