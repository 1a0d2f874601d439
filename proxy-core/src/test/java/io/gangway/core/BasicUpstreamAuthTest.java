package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.RawServer;
import io.gangway.harness.UpstreamProxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An upstream that demands Basic: Gangway answers its 407s; clients never see them. */
class BasicUpstreamAuthTest {

    private static final String PASSWORD = "pa55-w0rd:with:colons";
    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("through");



    private static RunningGangway gangway(UpstreamProxy upstream, String password) throws Exception {
        return RunningGangway.builder()
                .with(ConfigKey.UPSTREAM, upstream.url("alice"))
                .env("GANGWAY_PASSWORD", password)
                .start();
    }

    @Test
    void plainRequestsAndTunnelsAuthenticate() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = gangway(upstream, PASSWORD);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 5; i++) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/plain/" + i)))).isEqualTo("through");
            }
            assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/tunnel")))).isEqualTo("through");
            assertThat(upstream.loginsRejected()).isZero();
            // The first request learns that Basic is wanted (one 407); later ones send it preemptively.
            assertThat(upstream.requests()).isEqualTo(5 + 1 + 1);
        }
    }

    @Test
    void theChallengeIsAnsweredOnTheSameConnection() throws Exception {
        for (String scheme : new String[] {"http", "https"}) {
            try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
                 RunningGangway gangway = gangway(upstream, PASSWORD);
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                String url = scheme.equals("http") ? origin.http("/first") : origin.https("/first");
                assertThat(ProxiedClients.text(client, new HttpGet(url))).as(scheme).isEqualTo("through");
                // 407 then success, both on one upstream connection
                assertThat(upstream.requests()).as(scheme).isEqualTo(2);
                assertThat(upstream.connections()).as(scheme).isEqualTo(1);
                assertThat(upstream.loginsAccepted()).as(scheme).isEqualTo(1);
            }
        }
    }

    @Test
    void authenticatedConnectionsAreSharedByClients() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = gangway(upstream, PASSWORD)) {
            for (int i = 0; i < 10; i++) {
                try (CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                    assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/shared/" + i)))).isEqualTo("through");
                }
            }
            // ten client connections, at most one pooled upstream connection per I/O thread
            assertThat(upstream.connections()).isLessThanOrEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(upstream.requests()).isEqualTo(10 + 1);
        }
    }

    @Test
    void aBodyIsReplayedAfterTheChallenge() throws Exception {
        byte[] body = new byte[300_000];
        new Random(3).nextBytes(body);
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = gangway(upstream, PASSWORD);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            HttpPost post = new HttpPost(origin.http("/replayed"));
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
            assertThat(ProxiedClients.status(client, post)).isEqualTo(200);
        }
        var seen = origin.get().wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/replayed")));
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getBody()).isEqualTo(body);
    }

    @Test
    void aLargeBodyOnTheFirstRequestWaitsForAHandshakeProbe() throws Exception {
        // The body is larger than what could be replayed after a 407, so Gangway first learns the
        // scheme with a body-less OPTIONS; the body then goes once, with credentials.
        byte[] body = new byte[3_000_000];
        new Random(9).nextBytes(body);
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstream.url("alice"))
                     .with(ConfigKey.REPLAY_BUFFER, "64KiB")
                     .env("GANGWAY_PASSWORD", PASSWORD).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            HttpPost post = new HttpPost(origin.http("/big-first"));
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
            assertThat(ProxiedClients.status(client, post)).isEqualTo(200);
            assertThat(upstream.loginsRejected()).isZero();
            // the OPTIONS (answered 407, so it never reached the origin), then the POST
            assertThat(upstream.requests()).isEqualTo(2);
        }
        var probes = origin.get().wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .optionsRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/big-first")));
        var posts = origin.get().wireMock().findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/big-first")));
        assertThat(probes).isEmpty();
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).getBody()).isEqualTo(body);
    }

    @Test
    void wrongPasswordGives502AndDoesNotHammerTheUpstream() throws Exception {
        try (AccessLogCapture logs = new AccessLogCapture();
             UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = gangway(upstream, "not-the-password");
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 10; i++) {
                String answer = client.execute(new HttpGet(origin.http("/denied")),
                        r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                assertThat(answer).startsWith("502").contains("rejected").contains("alice")
                        .contains("127.0.0.1:" + upstream.port()).doesNotContain("not-the-password");
            }
            // one failed login per request at most: never a retry loop
            assertThat(upstream.loginsRejected()).isLessThanOrEqualTo(10);
            assertThat(logs.lines()).noneMatch(l -> l.contains("not-the-password") || l.contains(PASSWORD));
        }
    }

    @Test
    void noCredentialsConfiguredIsExplained() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("alice", PASSWORD);
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.UPSTREAM, upstream.url(null)).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/anon")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("requires authentication").contains("Basic")
                    .contains("GANGWAY_PASSWORD");
        }
    }

    @Test
    void clientCredentialsAreNeverForwarded() throws Exception {
        // An upstream that records what it receives and answers 200 to everything.
        StringBuilder seen = new StringBuilder();
        try (RawServer recorder = new RawServer((socket, in, out) -> {
            synchronized (seen) {
                seen.append(RawServer.readHead(in));
            }
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
        });
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + recorder.port()).start();
             Socket socket = new Socket("127.0.0.1", gangway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET http://example.test/ HTTP/1.1\r\nHost: example.test\r\n"
                    + "Proxy-Authorization: Basic Y2xpZW50OnNlY3JldA==\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(RawServer.readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        synchronized (seen) {
            assertThat(seen.toString()).startsWith("GET http://example.test/ HTTP/1.1")
                    .doesNotContainIgnoringCase("proxy-authorization").contains("Via: 1.1 gangway");
        }
    }

    @Test
    void postsAfterARequestTheProxyLetThroughAreAnsweredAndTheSchemeLearned() throws Exception {
        // The proxy lets one path through without authentication (an update server, say): the
        // upstream then looks open, and the next POST goes without a token; its 407 is answered
        // with the body kept (it used to fail every POST from then on, nothing learned).
        io.gangway.harness.BasicChallenger basic = new io.gangway.harness.BasicChallenger("alice", PASSWORD);
        io.gangway.harness.Challenger exemptOrBasic = (request, state) ->
                request.uri().contains("/exempt") ? new io.gangway.harness.Challenger.Pass() : basic.check(request, state);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(exemptOrBasic);
             RunningGangway gangway = gangway(upstream, PASSWORD)) {
            for (String path : new String[] {"/exempt", "/p1", "/p2", "/p3"}) {
                try (RawClient client = new RawClient(gangway.port())) {
                    String method = path.equals("/exempt") ? "GET" : "POST";
                    client.send(method + " " + origin.http(path) + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
                    assertThat(client.response()).as(path).startsWith("HTTP/1.1 200");
                }
            }
            assertThat(basic.accepted()).isGreaterThanOrEqualTo(3);
        }
    }
}
