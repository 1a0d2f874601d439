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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An origin on loopback that records exactly what reached it. It reads each connection as a
 * strict HTTP/1.1 server would (CRLF lines, token header names, one valid framing, chunked
 * bodies to the byte) and records every message it read; anything else is recorded as a
 * protocol error and the connection is closed. So a test can say "nothing was forwarded" or
 * "exactly one well-framed message was forwarded", whatever the proxy in front of it did.
 */
public final class RecordingOrigin implements AutoCloseable {

    /** One request as the origin read it. {@code headers} keep their order and case. */
    public record Request(int connection, String method, String target, String version,
                          List<String[]> headers, byte[] body) {

        /** The values of a header, names compared without case. */
        public List<String> header(String name) {
            List<String> values = new ArrayList<>();
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    values.add(h[1]);
                }
            }
            return values;
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }
    }

    /** What the origin answers, and whether it keeps the connection afterwards. */
    public record Answer(String bytes, boolean closeAfter, Duration lingerBeforeClose) {

        public static Answer keepAlive(String body) {
            return new Answer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body, false, Duration.ZERO);
        }

        /** Answers with {@code Connection: close}, then keeps the connection open for a while before closing it. */
        public static Answer closing(String body, Duration linger) {
            return new Answer("HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body,
                    true, linger);
        }
    }

    private static final int MAX_HEAD = 256 * 1024;

    private final ServerSocket server;
    private final Function<Request, Answer> script;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    /** An origin that answers every request with 200, keep-alive, and the request's target as the body. */
    public RecordingOrigin() throws IOException {
        this(request -> Answer.keepAlive(request.target()));
    }

    public RecordingOrigin(Function<Request, Answer> script) throws IOException {
        this.script = script;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "recording-origin-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code http://127.0.0.1:PORT} + path. */
    public String http(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    public int connections() {
        return connections.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Bytes that did not read as a well-framed HTTP/1.1 request, one entry per connection cut. */
    public List<String> protocolErrors() {
        return List.copyOf(errors);
    }

    public void clear() {
        requests.clear();
        errors.clear();
    }

    /** Closes every open connection, as an origin's idle timer would. */
    public void closeConnections() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            int number = connections.incrementAndGet();
            open.add(socket);
            Thread worker = new Thread(() -> serve(socket, number), "recording-origin-conn");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request request;
                try {
                    request = read(in, number);
                } catch (MalformedException e) {
                    errors.add("connection " + number + ": " + e.getMessage());
                    return;
                }
                if (request == null) {
                    return; // a clean close between messages
                }
                requests.add(request);
                Answer answer = script.apply(request);
                out.write(answer.bytes().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (answer.closeAfter()) {
                    sleep(answer.lingerBeforeClose());
                    return;
                }
            }
        } catch (IOException e) {
            // the peer went away
        } finally {
            open.remove(socket);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /** One request, or null when the connection closed cleanly before a new one started. */
    private static Request read(InputStream in, int connection) throws IOException, MalformedException {
        String requestLine = line(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || !parts[0].matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+") || parts[1].isEmpty()
                || !parts[2].matches("HTTP/1\\.[01]")) {
            throw new MalformedException("bad request line: " + printable(requestLine));
        }
        List<String[]> headers = new ArrayList<>();
        int size = requestLine.length();
        for (String l; !(l = line(in, false)).isEmpty(); ) {
            size += l.length();
            if (size > MAX_HEAD) {
                throw new MalformedException("head larger than " + MAX_HEAD);
            }
            int colon = l.indexOf(':');
            if (colon <= 0 || !l.substring(0, colon).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new MalformedException("bad header line: " + printable(l));
            }
            String value = l.substring(colon + 1).strip();
            for (char c : value.toCharArray()) {
                if (c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new MalformedException("control character in header: " + printable(l));
                }
            }
            headers.add(new String[] {l.substring(0, colon), value});
        }
        Request head = new Request(connection, parts[0], parts[1], parts[2], headers, new byte[0]);
        List<String> te = head.header("Transfer-Encoding");
        List<String> cl = head.header("Content-Length");
        byte[] body;
        if (!te.isEmpty()) {
            if (!cl.isEmpty()) {
                throw new MalformedException("both Transfer-Encoding and Content-Length");
            }
            if (te.size() != 1 || !te.get(0).equalsIgnoreCase("chunked")) {
                throw new MalformedException("Transfer-Encoding other than chunked: " + te);
            }
            body = chunked(in);
        } else if (!cl.isEmpty()) {
            if (cl.size() != 1 || !cl.get(0).matches("[0-9]{1,12}")) {
                throw new MalformedException("bad Content-Length: " + cl);
            }
            int length = Integer.parseInt(cl.get(0));
            body = in.readNBytes(length);
            if (body.length < length) {
                throw new MalformedException("body shorter than its Content-Length");
            }
        } else {
            body = new byte[0];
        }
        if (head.header("Host").size() != 1) {
            throw new MalformedException("not exactly one Host header: " + head.header("Host"));
        }
        return new Request(connection, parts[0], parts[1], parts[2], headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException, MalformedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, false);
            String hex = sizeLine.contains(";") ? sizeLine.substring(0, sizeLine.indexOf(';')) : sizeLine;
            if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                throw new MalformedException("bad chunk size line: " + printable(sizeLine));
            }
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                for (String trailer; !(trailer = line(in, false)).isEmpty(); ) {
                    if (trailer.indexOf(':') <= 0) {
                        throw new MalformedException("bad trailer: " + printable(trailer));
                    }
                }
                return body.toByteArray();
            }
            byte[] data = in.readNBytes(size);
            if (data.length < size) {
                throw new MalformedException("chunk cut short");
            }
            body.write(data);
            if (!line(in, false).isEmpty()) {
                throw new MalformedException("chunk data longer than its size");
            }
        }
    }

    /** A CRLF-terminated line; a bare CR or LF is an error. Null at a clean end of input if allowed. */
    private static String line(InputStream in, boolean endAllowed) throws IOException, MalformedException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (endAllowed && line.length() == 0) {
                    return null;
                }
                throw new MalformedException("connection closed in the middle of a line: " + printable(line.toString()));
            }
            if (b == '\r') {
                if (in.read() != '\n') {
                    throw new MalformedException("bare CR after: " + printable(line.toString()));
                }
                return line.toString();
            }
            if (b == '\n') {
                throw new MalformedException("bare LF after: " + printable(line.toString()));
            }
            if (line.length() > MAX_HEAD) {
                throw new MalformedException("line longer than " + MAX_HEAD);
            }
            line.append((char) b);
        }
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : (s.length() > 120 ? s.substring(0, 120) : s).toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return out.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        closeConnections();
    }
}
