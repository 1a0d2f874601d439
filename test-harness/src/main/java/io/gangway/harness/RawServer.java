package io.gangway.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted TCP peer on loopback for cases real servers will not play: an upstream that closes
 * mid-body, never answers, or sends garbage; an origin that upgrades to an echo protocol.
 */
public final class RawServer implements AutoCloseable {

    /** What to do with one accepted connection; runs on its own thread. */
    @FunctionalInterface
    public interface Script {
        void handle(Socket socket, InputStream in, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    public RawServer(Script script) throws IOException {
        this(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), script);
    }

    /** A peer on another local address or a chosen port (a test's own veth address, 198.18.0.0/15). */
    public RawServer(InetSocketAddress bind, Script script) throws IOException {
        server = new ServerSocket();
        server.bind(bind);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    open.add(socket);
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            script.handle(socket, socket.getInputStream(), socket.getOutputStream());
                        } catch (IOException e) {
                            // the peer went away: nothing to do in a test fixture
                        } finally {
                            open.remove(socket);
                        }
                    }, "raw-server-conn");
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A script that reads a request head and answers 200 with {@code body}, then closes. */
    public static Script answering(String body) {
        return (socket, in, out) -> {
            readHead(in);
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Reads up to and including the blank line that ends an HTTP head. */
    public static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** An origin that answers any request with 101 to the "echo" protocol and then echoes bytes. */
    public static RawServer upgradeEcho() throws IOException {
        return new RawServer((socket, in, out) -> {
            String head = readHead(in);
            if (!head.toLowerCase().contains("upgrade: echo")) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            in.transferTo(out);
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
