package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.SocksProxy;
import io.gangway.harness.TlsFront;
import io.gangway.harness.UpstreamProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SOCKS4a, SOCKS5 and HTTPS (TLS) upstreams, as PAC results and as --upstream URLs. */
class UpstreamKindsTest {

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("kinds ok");

    @ParameterizedTest
    @ValueSource(strings = {"SOCKS5", "SOCKS"})
    void socksFromAPacSendsTheTargetsNameAndCarriesHttpAndTunnels(String keyword, @TempDir Path dir) throws Exception {
        try (SocksProxy socks = new SocksProxy(host -> host.equals("app.test") ? "127.0.0.1" : host)) {
            Path pac = dir.resolve("socks.pac");
            Files.writeString(pac, "function FindProxyForURL(u, h) { return '" + keyword + " 127.0.0.1:" + socks.port() + "'; }");
            try (AccessLogCapture logs = new AccessLogCapture();
                 RunningGangway gangway = RunningGangway.builder().with(ConfigKey.PAC, pac.toString()).start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                int port = origin.get().httpPort();
                assertThat(ProxiedClients.text(client, new HttpGet("http://app.test:" + port + "/a"))).isEqualTo("kinds ok");
                assertThat(ProxiedClients.text(client, new HttpGet("http://app.test:" + port + "/b"))).isEqualTo("kinds ok");
                assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/tunnel")))).isEqualTo("kinds ok");
                // the name went to the SOCKS proxy unresolved; the second request reused the first connection
                assertThat(socks.destinations()).containsExactly("app.test:" + port, "127.0.0.1:" + origin.get().httpsPort());
                String kind = keyword.equals("SOCKS") ? "SOCKS4" : "SOCKS5";
                assertThat(logs.awaitAccessLines("GET http://app.test:" + port + "/a", 1).get(0))
                        .contains("route=" + kind + "/127.0.0.1:" + socks.port());
            }
        }
    }

    @Test
    void aSocksProxyThatCannotReachTheTargetFailsOverToTheNextRoute() throws Exception {
        try (SocksProxy socks = new SocksProxy(host -> "no-such-host.invalid"); // it can reach nothing
             AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "socks5://127.0.0.1:" + socks.port())
                     .with(ConfigKey.DIRECT_FALLBACK, "true").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.get().httpLocalhost("/via-direct")))).isEqualTo("kinds ok");
            assertThat(socks.destinations()).containsExactly("localhost:" + origin.get().httpPort());
            assertThat(logs.awaitAccessLines("/via-direct", 1).get(0)).contains("route=DIRECT");
        }
    }

    @Test
    void anHttpsUpstreamIsReachedOverTlsWithItsCredentials() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.basic("bob", "S3cret-Kinds-2026");
             TlsFront tls = new TlsFront(upstream.port());
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "https://bob@localhost:" + tls.port())
                     .with(ConfigKey.UPSTREAM_CA, tls.caFile().toString())
                     .env("GANGWAY_PASSWORD", "S3cret-Kinds-2026").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/over-tls")))).isEqualTo("kinds ok");
            assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/tunnel-over-tls")))).isEqualTo("kinds ok");
            assertThat(upstream.loginsAccepted()).isPositive();
            assertThat(upstream.loginsRejected()).isZero();
        }
    }

    @Test
    void anHttpsUpstreamWithAnUntrustedCertificateIsAClearFailure() throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.open();
             TlsFront tls = new TlsFront(upstream.port());
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "https://localhost:" + tls.port()).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/untrusted")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("HTTPS localhost:" + tls.port()).containsIgnoringCase("certificat");
            assertThat(upstream.requests()).isZero();
        }
    }
}
