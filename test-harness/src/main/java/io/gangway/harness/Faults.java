package io.gangway.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Scripts for a {@link RawServer} that plays a faulty upstream proxy or origin: each misbehaves
 * in one way a real server, a middlebox or an attacker does. A reset is a close with
 * {@code SO_LINGER} 0, which sends an RST instead of a FIN.
 */
public final class Faults {

    /** Bytes a 100 MB head is written in; the head is never held whole. */
    private static final int HEAD_PIECE = 64 * 1024;

    private Faults() {
    }

    /** Reads the request head, then resets the connection without a word. */
    public static RawServer.Script resetBeforeAnswering() {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            reset(socket);
        };
    }

    /** Answers 200 with a Content-Length of 100000, sends 1000 bytes of it, then resets. */
    public static RawServer.Script resetMidResponse() {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1000]);
            out.flush();
            pause(200); // the head and the first bytes reach the proxy before the RST discards them
            reset(socket);
        };
    }

    /** Sends a 200 head announcing a body, then nothing, until the peer goes away. */
    public static RawServer.Script stallAfterTheHead() {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            drain(in);
        };
    }

    /** Accepts and reads, never answering. */
    public static RawServer.Script neverAnswering() {
        return (socket, in, out) -> drain(in);
    }

    /**
     * Answers an OPTIONS probe (what a proxy sends before a body, to learn whether the upstream
     * asks for authentication) with 200, then plays {@code fault} on the request that follows.
     */
    public static RawServer.Script afterAProbe(RawServer.Script fault) {
        return (socket, in, out) -> {
            String head = RawServer.readHead(in);
            if (!head.startsWith("OPTIONS ")) {
                throw new IOException("expected a probe, got " + head.lines().findFirst().orElse(""));
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            fault.handle(socket, in, out);
        };
    }

    /** Closes each connection as soon as it is accepted. */
    public static RawServer.Script closingOnAccept() {
        return (socket, in, out) -> {
        };
    }

    /** A proxy that answers every request, whatever its credentials, with 407 Basic on a kept connection. */
    public static RawServer.Script challengingForever() {
        return (socket, in, out) -> {
            while (true) {
                RawServer.readHead(in);
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n"
                        + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        };
    }

    /**
     * An NTLM proxy whose challenge to the Type 1 is this Type 2: the first request gets a bare
     * {@code 407 NTLM}, the next (the Type 1) gets the Type 2, base64-encoded.
     */
    public static RawServer.Script ntlmChallenge(byte[] type2) {
        return ntlmHandshakeAnswered("NTLM " + Base64.getEncoder().encodeToString(type2));
    }

    /**
     * An NTLM proxy that answers the Type 1 with {@code challenge} as its {@code Proxy-Authenticate}
     * (a broken one: not base64, or no token), after a bare {@code 407 NTLM} to the first request.
     */
    public static RawServer.Script ntlmHandshakeAnswered(String challenge) {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawServer.readHead(in);
            out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: " + challenge + "\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            drain(in);
        };
    }

    /** The first 20 bytes of a Type 2: signature and type, cut before its flags and challenge. */
    public static byte[] truncatedType2() {
        byte[] type2 = new byte[20];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, type2, 0, 8);
        type2[8] = 2;
        return type2;
    }

    /** A well-formed Type 2 header followed by {@code size} bytes in all (target information padding). */
    public static byte[] oversizedType2(int size) {
        byte[] type2 = new byte[size];
        System.arraycopy("NTLMSSP\0".getBytes(StandardCharsets.US_ASCII), 0, type2, 0, 8);
        type2[8] = 2;
        type2[20] = 0x05; // flags: unicode, request target
        type2[21] = 0x02; // NTLM
        for (int i = 24; i < 32; i++) {
            type2[i] = (byte) i; // the server challenge
        }
        return type2;
    }

    /** Answers with a status line that is not HTTP: binary junk and a line end. */
    public static RawServer.Script garbageStatusLine() {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            out.write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xff, 'x', 'y', '\r', '\n', '\r', '\n'});
            out.flush();
            drain(in);
        };
    }

    /**
     * Answers with a head of {@code bytes} bytes, written piece by piece (never built in memory),
     * until it is all out or the peer stops reading it.
     */
    public static RawServer.Script hugeHead(long bytes) {
        return (socket, in, out) -> {
            RawServer.readHead(in);
            out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] field = field(HEAD_PIECE);
            for (long sent = 0; sent < bytes; sent += field.length) {
                out.write(field);
            }
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            drain(in);
        };
    }

    private static byte[] field(int size) {
        byte[] field = new byte[size];
        byte[] name = "X-Fill: ".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, field, 0, name.length);
        java.util.Arrays.fill(field, name.length, size - 2, (byte) 'a');
        field[size - 2] = '\r';
        field[size - 1] = '\n';
        return field;
    }

    /** Closes with an RST: unsent data is dropped and the peer reads "connection reset". */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static void drain(InputStream in) throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
