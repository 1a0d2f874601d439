package io.gangway.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the launcher's class-data archive is made from: while a Gangway records the classes it
 * loads ({@code -XX:DumpLoadedClassList}), this client sends it what a first user does, so that
 * the classes of serving a request are in the archive too, not read and verified from the jar
 * when the first request comes (measured: 240 classes, the first request 70 ms instead of 4).
 * Through the Gangway on the port given, to an origin of its own on loopback: two plain requests
 * on one connection, a request to a port where nothing listens (an error answer), and a CONNECT
 * tunnel. Run only by {@code ./gangway} after a build; best effort, as the archive is.
 */
public final class ArchiveTraining {

    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);
    /** The origin's connections, closed at the end: the one Gangway pools would otherwise stay open. */
    private static final List<Socket> ACCEPTED = new CopyOnWriteArrayList<>();

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        int proxyPort = Integer.parseInt(args[0]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket origin = new ServerSocket(0, 8, loopback)) {
            Thread answering = new Thread(() -> answer(origin), "origin");
            answering.setDaemon(true);
            answering.start();
            String target = "127.0.0.1:" + origin.getLocalPort();
            try (Socket proxy = connect(loopback, proxyPort)) {
                for (int i = 0; i < 2; i++) {
                    send(proxy, "GET http://" + target + "/ HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
                    readResponse(proxy.getInputStream());
                }
                send(proxy, "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\nConnection: close\r\n\r\n");
                readResponse(proxy.getInputStream());
            }
            try (Socket tunnel = connect(loopback, proxyPort)) {
                send(tunnel, "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
                readResponse(tunnel.getInputStream());
                send(tunnel, "GET / HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
                readResponse(tunnel.getInputStream());
            }
        } finally {
            for (Socket connection : ACCEPTED) {
                connection.close();
            }
        }
    }

    private static Socket connect(InetAddress host, int port) throws IOException {
        Socket socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The origin: a 200 with "ok" for each request head, a thread per connection (Gangway pools one). */
    private static void answer(ServerSocket origin) {
        while (!origin.isClosed()) {
            try {
                Socket client = origin.accept();
                ACCEPTED.add(client);
                Thread serving = new Thread(() -> serve(client), "origin-connection");
                serving.setDaemon(true);
                serving.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void serve(Socket client) {
        try (client) {
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            while (readHead(in) != null) {
                client.getOutputStream().write(OK);
            }
        } catch (IOException e) {
            // the training is over, or Gangway closed its pooled connection
        }
    }

    /** A response's head and its Content-Length body (every answer here has one). */
    private static void readResponse(InputStream in) throws IOException {
        String head = readHead(in);
        if (head == null) {
            throw new IOException("the connection closed before a response");
        }
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
    }

    /** Up to the blank line, or null when the stream ends first. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int lastFour = 0;
        while (lastFour != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            lastFour = lastFour << 8 | b;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
