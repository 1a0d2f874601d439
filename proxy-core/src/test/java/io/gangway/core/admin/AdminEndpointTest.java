package io.gangway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.upstream.HostResolver;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener over real sockets: each endpoint, its allow list, and that the proxy cannot reach it. */
class AdminEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient ADMIN = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Origin origin;

    @TempDir
    Path temp;

    @BeforeAll
    static void startOrigin() {
        origin = Origin.answering("hello from the origin");
    }

    @AfterAll
    static void stopOrigin() {
        origin.close();
    }

    static HttpResponse<String> admin(int port, String method, String path) throws Exception {
        return ADMIN.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode status(int port) throws Exception {
        HttpResponse<String> r = admin(port, "GET", "/status");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void healthReadyStatusAndMetricsTellWhatTheProxyDid() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.open();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                     .with(ConfigKey.UPSTREAM, upstream.url(null)).start()) {
            int admin = gangway.adminPort();
            HttpClient proxied = ProxiedClients.jdk(gangway.port());
            for (int i = 0; i < 3; i++) {
                assertThat(proxied.send(HttpRequest.newBuilder(URI.create(origin.http("/counted/" + i))).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from the origin");
            }
            int closed = freePort();
            assertThat(proxied.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/x")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as("the upstream answers for a dead origin").isIn(502, 503, 504);

            assertThat(admin(admin, "GET", "/health").body()).isEqualTo("ok\n");
            HttpResponse<String> ready = admin(admin, "GET", "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");

            JsonNode s = status(admin);
            assertThat(s.path("ready").asBoolean()).isTrue();
            assertThat(s.path("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
            io.gangway.core.BuildInfo build = io.gangway.core.BuildInfo.current();
            assertThat(s.path("version").asText()).isEqualTo(build.version()).isNotEqualTo("unknown");
            assertThat(s.path("build").path("commit").asText()).isEqualTo(build.commit())
                    .matches(java.nio.file.Files.exists(java.nio.file.Path.of("../.git")) ? "[0-9a-f]{7,}(-dirty)?" : "unknown");
            assertThat(s.path("build").path("built").asText()).isEqualTo(build.built());
            assertThat(s.path("build").path("java").asText()).startsWith(Runtime.version().toString());
            assertThat(s.path("listeners").findValuesAsText("address"))
                    .contains("127.0.0.1:" + gangway.port(), "127.0.0.1:" + admin);
            assertThat(s.path("profiles").get(0).path("profile").asText()).isEqualTo("engine");
            assertThat(s.path("profiles").get(0).path("routing").asText()).contains("127.0.0.1:" + upstream.port());
            assertThat(s.path("recentRequests").findValuesAsText("target")).contains(origin.http("/counted/2"));
            assertThat(s.path("recentRequests").get(0).path("route").asText())
                    .isEqualTo("PROXY/127.0.0.1:" + upstream.port());
            assertThat(s.path("upstreamConnections").has("PROXY/127.0.0.1:" + upstream.port())).isTrue();
            assertThat(s.path("counts").path("requests").asLong()).isEqualTo(4);

            HttpResponse<String> metrics = admin(admin, "GET", "/metrics");
            assertThat(metrics.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("gangway_requests_total{profile=\"engine\",route=\"http\",status=\"2xx\"} 3.0")
                    .contains("# HELP gangway_requests_total ")
                    .contains("gangway_upstream_connect_seconds_bucket{le=\"0.005\"}")
                    .contains("gangway_route_decisions_total{profile=\"engine\",source=\"manual\"} 4.0")
                    .contains("gangway_upstream_connections{state=\"idle\",upstream=\"PROXY/127.0.0.1:" + upstream.port() + "\"}")
                    .contains("gangway_lockout_backoffs 0.0")
                    .contains("process_files_open_files ")
                    .doesNotContain("/counted/"); // no URL as a label
        }
    }

    @Test
    void proxyPacPointsBrowsersHereAndUnknownPathsAndMethodsAreRefused() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").start()) {
            int admin = gangway.adminPort();
            HttpResponse<String> pac = admin(admin, "GET", "/proxy.pac");
            assertThat(pac.headers().firstValue("content-type")).hasValue("application/x-ns-proxy-autoconfig");
            assertThat(pac.body()).contains("return \"PROXY 127.0.0.1:" + gangway.port() + "; DIRECT\";")
                    .startsWith("function FindProxyForURL(url, host) {");
            HttpResponse<String> page = admin(admin, "GET", "/");
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
            assertThat(page.body()).contains("<title>Gangway status</title>").doesNotContain("src=\"http");
            assertThat(admin(admin, "GET", "/nothing-here").statusCode()).isEqualTo(404);
            HttpResponse<String> post = admin(admin, "POST", "/status");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            assertThat(admin(admin, "GET", "/reload").headers().firstValue("allow")).hasValue("POST");
            HttpResponse<String> head = admin(admin, "HEAD", "/status");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void theProxyCannotReachTheAdminListener() throws Exception {
        HostResolver.NameLookup names = host -> host.equals("admin.gangway.test")
                ? new InetAddress[] {InetAddress.getByName("127.0.0.1")} : InetAddress.getAllByName(host);
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").names(names).start()) {
            int admin = gangway.adminPort();
            HttpClient proxied = ProxiedClients.jdk(gangway.port());
            for (String host : new String[] {"127.0.0.1", "localhost", "127.0.0.7", "[::1]"}) {
                HttpResponse<String> r = proxied.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + admin
                        + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(host).isEqualTo(403);
                assertThat(r.body()).contains("admin listener");
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), gangway.port())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("CONNECT 127.0.0.1:" + admin + " HTTP/1.1\r\nHost: 127.0.0.1:" + admin
                        + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 403");
            }
            // A name that resolves to loopback is caught once resolved, before connecting.
            HttpResponse<String> byName = proxied.send(HttpRequest.newBuilder(URI.create("http://admin.gangway.test:" + admin
                    + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byName.statusCode()).isEqualTo(403);
            assertThat(byName.body()).contains("admin listener").doesNotContain("\"ready\"");
            assertThat(admin(admin, "GET", "/health").statusCode()).as("direct access still works").isEqualTo(200);
        }
    }

    @Test
    void clientsOutsideTheAdminAllowListAreTurnedAway() throws Exception {
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ADMIN_ALLOW, "127.0.0.2/32").with(ConfigKey.ROUTING, "direct").start()) {
            int admin = gangway.adminPort();
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                s.connect(new InetSocketAddress("127.0.0.1", admin), 5_000);
                s.setSoTimeout(10_000);
                assertThat(s.getInputStream().read()).as("closed without an answer").isEqualTo(-1);
            }
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress("127.0.0.2", 0));
                s.connect(new InetSocketAddress("127.0.0.1", admin), 5_000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
            }
        }
    }

    @Test
    void notReadyWhileThePacLoadsOrWhenItFailsAndTheFallbackIsFail() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                     .with(ConfigKey.PAC, "http://127.0.0.1:" + silent.getLocalPort() + "/proxy.pac")
                     .with(ConfigKey.CONNECT_TIMEOUT, "3s").start()) {
            HttpResponse<String> loading = admin(gangway.adminPort(), "GET", "/ready");
            assertThat(loading.statusCode()).isEqualTo(503);
            assertThat(loading.body()).contains("engine profile: the PAC http://127.0.0.1:" + silent.getLocalPort()
                    + "/proxy.pac is loading");
            JsonNode pac = status(gangway.adminPort()).path("profiles").get(0).path("pac");
            assertThat(pac.path("loading").asBoolean()).isTrue();
        }
        Path missing = temp.resolve("missing.pac");
        try (RunningGangway failing = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.PAC, missing.toString()).with(ConfigKey.PAC_FALLBACK, "fail").start()) {
            awaitStatus(failing.adminPort(), 503, "pac-fallback is fail");
            JsonNode pac = status(failing.adminPort()).path("profiles").get(0).path("pac");
            assertThat(pac.path("lastError").asText()).contains("missing.pac");
        }
        Path good = temp.resolve("good.pac");
        Files.writeString(good, "function FindProxyForURL(url, host) { return 'DIRECT'; }");
        try (RunningGangway loaded = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.PAC, good.toString()).start()) {
            awaitStatus(loaded.adminPort(), 200, "ready");
            assertThat(status(loaded.adminPort()).path("profiles").get(0).path("pac").path("loaded").asBoolean()).isTrue();
        }
    }

    private static void awaitStatus(int admin, int code, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        HttpResponse<String> r;
        do {
            r = admin(admin, "GET", "/ready");
            if (r.statusCode() == code && r.body().contains(text)) {
                return;
            }
            Thread.sleep(50);
        } while (System.currentTimeMillis() < deadline);
        assertThat(r.statusCode() + " " + r.body()).isEqualTo(code + " ...containing " + text);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void requestsAddressedToANameOrFromAnotherSiteAreRefused() throws Exception {
        // DNS rebinding (a page's name rebound to 127.0.0.1), a proxy on this host carrying a
        // request for a name, a form on a web page posting to /reload: all name the wrong host
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.ADMIN, "127.0.0.1:0")
                .with(ConfigKey.ROUTING, "direct").start()) {
            int admin = gangway.adminPort();
            assertThat(raw(admin, "GET /status HTTP/1.1\r\nHost: evil.example:" + admin + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 403").contains("IP address or to localhost");
            assertThat(raw(admin, "POST /reload HTTP/1.1\r\nHost: 127.0.0.1:" + admin + "\r\nOrigin: http://evil.example"
                    + "\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 403").contains("other sites");
            assertThat(raw(admin, "GET /health HTTP/1.1\r\nHost: localhost:" + admin + "\r\n\r\n")).startsWith("HTTP/1.1 200");
            assertThat(raw(admin, "GET /health HTTP/1.1\r\nHost: [::ffff:127.0.0.1]:" + admin + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 200");
            assertThat(raw(admin, "GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + admin + "\r\nOrigin: http://127.0.0.1:"
                    + admin + "\r\n\r\n")).as("the status page's own fetches").startsWith("HTTP/1.1 200");
        }
    }

    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
