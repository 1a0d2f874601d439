package io.gangway.core;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client that writes exact bytes, for what real clients would never send. */
final class RawClient implements AutoCloseable {

    private final Socket socket;

    RawClient(int port) throws IOException {
        this(port, null);
    }

    /** Connects from a chosen local address (127.0.0.2 is loopback too, but another client). */
    RawClient(int port, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
    }

    RawClient send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return this;
    }

    RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    InputStream in() throws IOException {
        return socket.getInputStream();
    }

    /**
     * One response from a connection that stays open: the head, then a body of its
     * Content-Length (none without one). Null when the connection closed before a head.
     */
    String response() throws IOException {
        String head;
        try {
            head = io.gangway.harness.RawServer.readHead(socket.getInputStream());
        } catch (java.net.SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return null; // closed before (or in the middle of) a head
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(socket.getInputStream().readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes the connection (fails on the socket timeout). */
    String readToClose() throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
