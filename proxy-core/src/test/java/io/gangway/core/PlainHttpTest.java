package io.gangway.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpHead;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpPut;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Plain (non-CONNECT) requests through Gangway, DIRECT and chained to an upstream proxy. */
class PlainHttpTest extends DirectAndChained {

    @BeforeEach
    void reset() {
        origin.wireMock().resetAll();
    }

    static Stream<Arguments> routes() {
        return Stream.of(Arguments.of("direct"), Arguments.of("chained"));
    }


    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @MethodSource("routes")
    void getsBodiesOfSeveralSizes(String route) throws Exception {
        for (int size : new int[] {0, 1, 1024, 64 * 1024 + 7, 3 * 1024 * 1024}) {
            byte[] body = randomBytes(size);
            origin.wireMock().stubFor(get("/size/" + size).willReturn(aResponse().withStatus(200).withBody(body)));
            try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
                byte[] got = client.execute(new HttpGet(origin.http("/size/" + size)), r -> {
                    assertThat(r.getCode()).isEqualTo(200);
                    assertThat(r.getHeaders("Via")).anySatisfy(via -> assertThat(via.getValue()).isEqualTo("1.1 gangway"));
                    return EntityUtils.toByteArray(r.getEntity());
                });
                assertThat(got).as("body of %d bytes", size).isEqualTo(body);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("routes")
    void sendsRequestBodiesWithContentLengthAndChunked(String route) throws Exception {
        origin.wireMock().stubFor(any(urlPathMatching("/upload.*")).willReturn(aResponse().withStatus(201)));
        try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
            for (int size : new int[] {0, 10, 100_000, 2 * 1024 * 1024}) {
                byte[] body = randomBytes(size);
                HttpPost post = new HttpPost(origin.http("/upload-post-" + size));
                post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
                assertThat(ProxiedClients.status(client, post)).isEqualTo(201);

                HttpPut put = new HttpPut(origin.http("/upload-put-chunked-" + size));
                put.setEntity(new InputStreamEntity(new ByteArrayInputStream(body), -1, ContentType.APPLICATION_OCTET_STREAM));
                assertThat(ProxiedClients.status(client, put)).isEqualTo(201);

                LoggedRequest posted = origin.wireMock().findAll(
                        com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/upload-post-" + size))).get(0);
                assertThat(posted.getBody()).isEqualTo(body);
                LoggedRequest putted = origin.wireMock().findAll(
                        com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor(urlPathEqualTo("/upload-put-chunked-" + size))).get(0);
                assertThat(putted.getBody()).isEqualTo(body);
                if (size > 0) {
                    assertThat(putted.getHeader("Transfer-Encoding")).isEqualTo("chunked");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("routes")
    void relaysChunkedResponses(String route) throws Exception {
        byte[] body = randomBytes(200_000);
        origin.wireMock().stubFor(get("/chunked").willReturn(aResponse().withBody(body).withChunkedDribbleDelay(20, 200)));
        try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
            byte[] got = client.execute(new HttpGet(origin.http("/chunked")), r -> EntityUtils.toByteArray(r.getEntity()));
            assertThat(got).isEqualTo(body);
        }
    }

    @ParameterizedTest
    @MethodSource("routes")
    void headHasNoBodyAndKeepsTheConnection(String route) throws Exception {
        origin.wireMock().stubFor(any(urlPathEqualTo("/head")).willReturn(aResponse()
                .withHeader("Content-Length", "12345").withBody(randomBytes(12345))));
        try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
            for (int i = 0; i < 3; i++) {
                client.execute(new HttpHead(origin.http("/head")), r -> {
                    assertThat(r.getCode()).isEqualTo(200);
                    assertThat(r.getFirstHeader("Content-Length").getValue()).isEqualTo("12345");
                    return null;
                });
            }
        }
    }

    @ParameterizedTest
    @MethodSource("routes")
    void expectContinueIsRelayed(String route) throws Exception {
        origin.wireMock().stubFor(any(urlPathEqualTo("/expect")).willReturn(aResponse().withStatus(200).withBody("ok")));
        byte[] body = randomBytes(50_000);
        try (CloseableHttpClient client = ProxiedClients.apache(gangway(route).port())) {
            HttpPost post = new HttpPost(origin.http("/expect"));
            post.setConfig(RequestConfig.custom().setExpectContinueEnabled(true).build());
            post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
            assertThat(ProxiedClients.text(client, post)).isEqualTo("ok");
        }
        LoggedRequest seen = origin.wireMock().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo("/expect"))).get(0);
        assertThat(seen.getBody()).isEqualTo(body);
    }

    @ParameterizedTest
    @MethodSource("routes")
    void jdkClientWorks(String route) throws Exception {
        origin.wireMock().stubFor(any(urlPathEqualTo("/jdk")).willReturn(aResponse().withStatus(200).withBody("hello jdk")));
        var client = ProxiedClients.jdk(gangway(route).port());
        var response = client.send(java.net.http.HttpRequest.newBuilder(URI.create(origin.http("/jdk")))
                .POST(BodyPublishers.ofString("payload")).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello jdk");
    }

    @Test
    void hopByHopHeadersAreNotForwarded() throws Exception {
        origin.wireMock().stubFor(get("/headers").willReturn(aResponse().withStatus(200)
                .withHeader("Connection", "X-Hop-Response")
                .withHeader("X-Hop-Response", "secret-to-this-hop")
                .withHeader("X-End-To-End", "kept")));
        try (CloseableHttpClient client = ProxiedClients.apache(chained.port())) {
            HttpGet get = new HttpGet(origin.http("/headers"));
            get.addHeader("Proxy-Authorization", "Basic Y2xpZW50OnNlY3JldA==");
            get.addHeader("Connection", "X-Hop-Request");
            get.addHeader("X-Hop-Request", "for-gangway-only");
            get.addHeader("Keep-Alive", "timeout=5");
            get.addHeader("X-End-To-End", "kept");
            client.execute(get, r -> {
                assertThat(r.getFirstHeader("X-End-To-End").getValue()).isEqualTo("kept");
                assertThat(r.getFirstHeader("X-Hop-Response")).isNull();
                return null;
            });
        }
        LoggedRequest seen = origin.wireMock().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/headers"))).get(0);
        assertThat(seen.getHeader("X-End-To-End")).isEqualTo("kept");
        assertThat(seen.containsHeader("Proxy-Authorization")).isFalse();
        assertThat(seen.containsHeader("X-Hop-Request")).isFalse();
        assertThat(seen.containsHeader("Keep-Alive")).isFalse();
        assertThat(seen.getHeader("Via")).contains("gangway");
        assertThat(seen.getHeader("Host")).isEqualTo("127.0.0.1:" + origin.httpPort());
    }

    @Test
    void keepAliveReusesOneUpstreamConnection() throws Exception {
        origin.wireMock().stubFor(get(urlPathEqualTo("/reuse")).withQueryParam("n", com.github.tomakehurst.wiremock.client.WireMock.matching("\\d+"))
                .willReturn(aResponse().withStatus(200).withBody("r")));
        try (UpstreamProxy counting = UpstreamProxy.open()) {
            try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.UPSTREAM, counting.url(null)).start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                for (int i = 0; i < 50; i++) {
                    assertThat(ProxiedClients.status(client, new HttpGet(origin.http("/reuse?n=" + i)))).isEqualTo(200);
                }
                assertThat(counting.requests()).isEqualTo(50);
                assertThat(counting.connections()).isEqualTo(1);
                assertThat(gangway.stats().upstreamConnectionsOpened()).isEqualTo(1);
            }
        }
        List<LoggedRequest> all = origin.wireMock().findAll(
                com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo("/reuse")));
        assertThat(all).hasSize(50);
        assertThat(all.get(0).getQueryParams().get("n").firstValue()).isEqualTo("0");
    }

    @Test
    void queryStringsStayOutOfTheAccessLog() throws Exception {
        origin.wireMock().stubFor(get(urlPathEqualTo("/signed")).withQueryParam("sig", equalTo("s3cr3t"))
                .willReturn(aResponse().withStatus(200)));
        try (AccessLogCapture logs = new AccessLogCapture();
             CloseableHttpClient client = ProxiedClients.apache(direct.port())) {
            assertThat(ProxiedClients.status(client, new HttpGet(origin.http("/signed?sig=s3cr3t")))).isEqualTo(200);
            assertThat(logs.awaitAccessLines("/signed", 1)).hasSize(1).allSatisfy(line -> assertThat(line).contains("GET http://127.0.0.1:"
                    + origin.httpPort() + "/signed?").contains("status=200").contains("route=DIRECT"));
            assertThat(logs.lines()).noneMatch(line -> line.contains("s3cr3t"));
        }
    }
}
