package io.gangway.core.cli;

import io.gangway.auth.AuthSchemes;
import io.gangway.auth.AuthenticationException;
import io.gangway.auth.ChallengeParser;
import io.gangway.routing.Route;
import io.gangway.routing.Target;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * For {@code gangway check --connect}: whether a route answers, and what an HTTP proxy asks for.
 * It never sends credentials (a probe must not count as a failed login), so a proxy that
 * challenges is reported with the schemes it offers.
 */
final class RouteProbe {

    /** What a probe found. {@code schemes} are the Proxy-Authenticate schemes of a 407, lower case. */
    record Result(boolean answered, String summary, List<String> schemes) {
    }

    private final Duration timeout;
    private final SSLSocketFactory tls;

    RouteProbe(Duration timeout, SSLSocketFactory tls) {
        this.timeout = timeout;
        this.tls = tls;
    }

    Result probe(Route route, Target target) {
        if (route.isRejection()) {
            return new Result(false, "refuses the connection (Docker Desktop's reject.docker.internal)", List.of());
        }
        String host = route.isDirect() ? target.host() : route.host();
        int port = route.isDirect() ? target.port() : route.port();
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            String connected = "connected in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms";
            return switch (route.kind()) {
                case DIRECT, SOCKS4 -> new Result(true, connected, List.of());
                case SOCKS5 -> socks5(socket, connected);
                case HTTP -> http(socket, target, connected);
                case HTTPS -> http(tls(socket, host, port), target, connected + ", TLS verified");
                case REJECT -> throw new IllegalStateException("a rejection is not probed");
            };
        } catch (IOException e) {
            return new Result(false, "no answer: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), List.of());
        }
    }

    private Socket tls(Socket socket, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static Result socks5(Socket socket, String connected) throws IOException {
        socket.getOutputStream().write(new byte[] {5, 2, 0, 2}); // offers: no auth, user/password
        socket.getOutputStream().flush();
        byte[] answer = socket.getInputStream().readNBytes(2);
        if (answer.length < 2 || answer[0] != 5) {
            return new Result(false, connected + ", but it does not speak SOCKS5", List.of());
        }
        return new Result(true, connected + ", SOCKS5 " + switch (answer[1]) {
            case 0 -> "without authentication";
            case 2 -> "asks for a user and password (not supported by Gangway)";
            default -> "refuses both methods offered";
        }, List.of());
    }

    /** A CONNECT (tunnel targets) or HEAD (plain ones) without credentials; reads the answer's head. */
    private static Result http(Socket socket, Target target, String connected) throws IOException {
        boolean tunnel = !target.scheme().equals("http");
        String request = (tunnel ? "CONNECT " + target.authority() : "HEAD " + target.url()) + " HTTP/1.1\r\n"
                + "Host: " + target.authority() + "\r\nUser-Agent: gangway-check\r\n"
                + (tunnel ? "" : "Connection: close\r\n") + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        List<String> head = readHead(socket.getInputStream());
        if (head.isEmpty()) {
            return new Result(false, connected + ", but it closed without answering", List.of());
        }
        String status = head.get(0);
        List<String> values = new ArrayList<>();
        for (String line : head) {
            if (line.toLowerCase(Locale.ROOT).startsWith("proxy-authenticate:")) {
                values.add(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        String answers = connected + ", answers " + status.replaceFirst("^HTTP/\\S+\\s+", "");
        // The proxy's own parser: one field may offer several schemes ("NTLM, Negotiate").
        List<String> schemes = new ArrayList<>();
        try {
            for (String scheme : AuthSchemes.names(ChallengeParser.parseAll(values))) {
                String name = scheme.toLowerCase(Locale.ROOT);
                if (!schemes.contains(name)) {
                    schemes.add(name);
                }
            }
        } catch (AuthenticationException e) {
            return new Result(true, answers + ", with a malformed Proxy-Authenticate: " + e.getMessage(), schemes);
        }
        return new Result(true, answers, schemes);
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int total = 0;
        for (int b; (b = in.read()) >= 0 && total++ < 65536; ) {
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).replaceFirst("\r$", "");
                if (l.isEmpty()) {
                    break;
                }
                lines.add(l);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines;
    }
}
