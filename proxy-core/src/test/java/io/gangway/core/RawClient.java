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
        this(new InetSocketAddress("127.0.0.1", port), localAddress);
    }

    /** Connects to a listener on another local address (a gateway listener on a test's veth address). */
    RawClient(InetSocketAddress server, String localAddress) throws IOException {
        socket = new Socket();
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        }
        socket.connect(server, 5_000);
        socket.setSoTimeout(10_000);
    }

    /** A plain request through a proxy, from a chosen local address, with Connection: close: its response. */
    static String get(InetSocketAddress proxy, String from, String url) throws IOException {
        String authority = java.net.URI.create(url).getRawAuthority();
        try (RawClient client = new RawClient(proxy, from)) {
            return String.valueOf(client.send("GET " + url + " HTTP/1.1\r\nHost: " + authority
                    + "\r\nConnection: close\r\n\r\n").response());
        }
    }

    /** A CONNECT through a proxy; once established, a request through the tunnel: both answers, one after the other. */
    static String connect(InetSocketAddress proxy, String from, String authority) throws IOException {
        try (RawClient client = new RawClient(proxy, from)) {
            String answer = client.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").response();
            if (answer == null || !answer.startsWith("HTTP/1.1 200")) {
                return String.valueOf(answer);
            }
            return answer + client.send("GET / HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n").response();
        }
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

    /** Ends this client's output (a half-close: FIN), reading on. */
    RawClient endOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    InputStream in() throws IOException {
        return socket.getInputStream();
    }

    /**
     * One response from a connection that stays open: the head, then its body (by Content-Length,
     * or chunked: the chunks' data only; none without either). Null when the connection closed
     * before a head.
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
        InputStream in = socket.getInputStream();
        if (head.toLowerCase(java.util.Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            StringBuilder body = new StringBuilder(head);
            for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
                body.append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
                line(in);
            }
            while (!line(in).isEmpty()) {
                // trailers
            }
            return body.toString();
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)\r\ncontent-length: *(\\d+)").matcher(head);
        int n = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return head + new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("closed in the middle of a chunked body");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
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
