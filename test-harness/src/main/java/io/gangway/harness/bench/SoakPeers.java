package io.gangway.harness.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.Challenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.UpstreamProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What Gangway talks to during a soak, each with the knob a fault turns: the local origin, the
 * PAC server (its script switches between DIRECT and the upstream), the challenging upstream
 * proxy (stopped and started again on its port) and the password file Gangway reads.
 */
final class SoakPeers implements AutoCloseable {

    static final String USER = "soak";
    static final String BODY = "soak-ok ".repeat(16) + "\n";
    private static final String PASSWORD = "Soak-pass-1";
    private static final String WRONG_PASSWORD = "not-the-password";

    private final String auth;
    private final Path passwordFile;
    private final SoakOrigin origin;
    private final HttpServer pacServer;
    private final AtomicReference<String> pac = new AtomicReference<>();
    private final AtomicInteger pacFetches = new AtomicInteger();
    private final int upstreamPort;
    private Challenger challenger;
    private UpstreamProxy upstream;
    private int upstreamRequestsBefore;

    /** {@code auth}: {@code ntlm} or {@code basic}. */
    SoakPeers(String auth, Path dir) throws IOException, InterruptedException {
        this.auth = auth;
        this.passwordFile = dir.resolve("password");
        writePassword(true);
        origin = new SoakOrigin();
        pacServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        pacServer.createContext("/", this::servePac);
        pacServer.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "soak-pac");
            t.setDaemon(true);
            return t;
        }));
        pacServer.start();
        upstream = newUpstream(0);
        upstreamPort = upstream.port();
        routeThroughUpstream(true);
    }

    /** The PAC, with an ETag: Gangway's conditional refetch gets a 304 until the script changes. */
    private void servePac(HttpExchange exchange) throws IOException {
        try (exchange) {
            pacFetches.incrementAndGet();
            String script = pac.get();
            String etag = "\"" + Integer.toHexString(script.hashCode()) + "\"";
            exchange.getResponseHeaders().set("ETag", etag);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            byte[] bytes = script.getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "application/x-ns-proxy-autoconfig");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private UpstreamProxy newUpstream(int port) {
        challenger = auth.equals("basic") ? new BasicChallenger(USER, PASSWORD) : new NtlmChallenger(USER, PASSWORD);
        return UpstreamProxy.challenging(challenger, port);
    }

    /** The user as Gangway's configuration names it. */
    String user() {
        return auth.equals("basic") ? USER : "CORP\\" + USER;
    }

    int originPort() {
        return origin.port();
    }

    String pacUrl() {
        return "http://127.0.0.1:" + pacServer.getAddress().getPort() + "/proxy.pac";
    }

    Path passwordFile() {
        return passwordFile;
    }

    int upstreamPort() {
        return upstreamPort;
    }

    /** The PAC sends every request through the upstream, or DIRECT. */
    void routeThroughUpstream(boolean through) {
        String answer = through ? "PROXY 127.0.0.1:" + upstreamPort : "DIRECT";
        pac.set("function FindProxyForURL(url, host) { return \"" + answer + "\"; }\n");
    }

    int pacFetches() {
        return pacFetches.get();
    }

    /** Stops the upstream proxy: its connections are cut, its port refuses. */
    synchronized void stopUpstream() {
        upstreamRequestsBefore += upstream.requests();
        upstream.close();
        upstream = null;
    }

    /** Starts a new upstream proxy (no authenticated connections, new NTLM state) on the same port. */
    synchronized void startUpstream() {
        upstream = newUpstream(upstreamPort);
    }

    /** Requests the upstream proxies received so far (407s and CONNECTs included). */
    synchronized int upstreamRequests() {
        return upstreamRequestsBefore + (upstream == null ? 0 : upstream.requests());
    }

    /** Logins the current upstream rejected. */
    synchronized int loginsRejected() {
        return challenger instanceof NtlmChallenger n ? n.rejected() : ((BasicChallenger) challenger).rejected();
    }

    /** Replaces the password file at once (write and rename, as an editor does). */
    void writePassword(boolean right) throws IOException {
        Path next = passwordFile.resolveSibling("password.next");
        Files.writeString(next, (right ? PASSWORD : WRONG_PASSWORD) + "\n");
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, passwordFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public synchronized void close() {
        if (upstream != null) {
            upstream.close();
        }
        origin.close();
        pacServer.stop(0);
    }
}
