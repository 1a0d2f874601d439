package io.gangway.core;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Routing by PAC, end to end: real clients, Gangway, a challenging upstream, an origin. */
class PacRoutingTest {

    private static final String PASSWORD = "Winter2026!";

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("pac ok");

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** localhost DIRECT; everything else to a dead proxy, then the NTLM one, then DIRECT. */
    private static String corporatePac(int dead, int ntlm) {
        return "function FindProxyForURL(url, host) {\n"
                + "  if (host == 'localhost' || isPlainHostName(host)) return 'DIRECT';\n"
                + "  if (shExpMatch(url, '*/never-proxied/*')) return 'DIRECT';\n"
                + "  return 'PROXY 127.0.0.1:" + dead + "; PROXY 127.0.0.1:" + ntlm + "; DIRECT';\n"
                + "}\n";
    }

    @Test
    void sendsSomeHostsDirectAndOthersThroughAChallengingUpstreamWithFailover(@TempDir Path dir) throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        Path pac = dir.resolve("corp.pac");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(ntlm);
             AccessLogCapture logs = new AccessLogCapture()) {
            Files.writeString(pac, corporatePac(deadPort(), upstream.port()));
            try (RunningGangway gangway = RunningGangway.builder()
                         .with(ConfigKey.PAC, pac.toString())
                         .with(ConfigKey.USER, "CORP\\alice")
                         .env("GANGWAY_PASSWORD", PASSWORD).start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.get().httpLocalhost("/direct")))).isEqualTo("pac ok");
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/never-proxied/x")))).isEqualTo("pac ok");
                assertThat(upstream.requests()).isZero();

                for (int i = 0; i < 5; i++) {
                    assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/proxied/" + i)))).isEqualTo("pac ok");
                }
                assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/tunnel")))).isEqualTo("pac ok");
                assertThat(upstream.requests()).isGreaterThanOrEqualTo(6);
                assertThat(ntlm.handshakes()).isBetween(1, 2); // one per upstream connection: plain and tunnel
                assertThat(logs.awaitAccessLines("/proxied/4", 1).get(0)).contains("route=PROXY/127.0.0.1:" + upstream.port())
                        .contains("auth=NTLM");
                assertThat(logs.awaitAccessLines("/direct", 1).get(0)).contains("route=DIRECT");
            }
        }
    }

    @Test
    void aPacUrlIsFetchedDirectAndRefreshed() throws Exception {
        try (Origin pacServer = new Origin(); UpstreamProxy one = UpstreamProxy.open(); UpstreamProxy two = UpstreamProxy.open()) {
            pacServer.wireMock().stubFor(get("/proxy.pac").willReturn(aResponse()
                    .withHeader("Content-Type", "application/x-ns-proxy-autoconfig")
                    .withBody("function FindProxyForURL(u, h) { return 'PROXY 127.0.0.1:" + one.port() + "'; }")));
            try (RunningGangway gangway = RunningGangway.builder()
                         .with(ConfigKey.PAC, pacServer.http("/proxy.pac"))
                         .with(ConfigKey.PAC_REFRESH, "300ms").start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/first")))).isEqualTo("pac ok");
                assertThat(one.requests()).isEqualTo(1);

                pacServer.wireMock().stubFor(get("/proxy.pac").willReturn(aResponse()
                        .withBody("function FindProxyForURL(u, h) { return 'PROXY 127.0.0.1:" + two.port() + "'; }")));
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (two.requests() == 0 && System.nanoTime() < deadline) {
                    assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/after")))).isEqualTo("pac ok");
                    Thread.sleep(100);
                }
                assertThat(two.requests()).isPositive();
            }
        }
    }

    @Test
    void withoutAPacTheFallbackPolicyDecides(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("missing.pac").toString();
        try (RunningGangway failing = RunningGangway.builder().with(ConfigKey.PAC, missing)
                     .with(ConfigKey.PAC_FALLBACK, "fail").start();
             RunningGangway direct = RunningGangway.builder().with(ConfigKey.PAC, missing).start()) {
            try (CloseableHttpClient client = ProxiedClients.apache(failing.port())) {
                String answer = client.execute(new HttpGet(origin.http("/x")),
                        r -> r.getCode() + " " + r.getFirstHeader("Proxy-Status").getValue() + " " + EntityUtils.toString(r.getEntity()));
                assertThat(answer).startsWith("502 gangway; error=proxy_configuration_error")
                        .contains("no route to 127.0.0.1:" + origin.get().httpPort())
                        .contains("missing.pac does not exist").contains("pac-fallback: fail");
            }
            try (CloseableHttpClient client = ProxiedClients.apache(direct.port())) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/x")))).isEqualTo("pac ok");
            }
        }
    }

    @Test
    void aScriptThatFailsForSomeHostsStillRoutesTheOthers(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("flaky.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) {\n"
                + "  if (host == 'localhost') { while (true) {} }\n"
                + "  return 'DIRECT';\n}\n");
        try (AccessLogCapture logs = new AccessLogCapture();
             RunningGangway gangway = RunningGangway.builder().with(ConfigKey.PAC, pac.toString())
                     .with(ConfigKey.PAC_FALLBACK, "fail").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.get().httpLocalhost("/loops")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("stopped").contains("flaky.pac");
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/fine")))).isEqualTo("pac ok");
        }
    }

    @Test
    void dockerDesktopsRejectAnswerRefusesPlainRequestsAndTunnels(@TempDir Path dir) throws Exception {
        Path pac = dir.resolve("containers.pac");
        Files.writeString(pac, "function FindProxyForURL(url, host) {\n"
                + "  if (host == 'localhost') return 'PROXY reject.docker.internal:1234';\n"
                + "  return 'DIRECT';\n}\n");
        try (RunningGangway gangway = RunningGangway.builder().with(ConfigKey.PAC, pac.toString()).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String refused = client.execute(new HttpGet(origin.get().httpLocalhost("/blocked")),
                    r -> r.getCode() + " " + r.getFirstHeader("Proxy-Status").getValue() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(refused).startsWith("403 gangway; error=http_request_denied")
                    .contains("the routing policy refuses localhost:" + origin.get().httpPort())
                    .contains("PROXY reject.docker.internal:1234");
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/allowed")))).isEqualTo("pac ok");
            try (RawClient raw = new RawClient(gangway.port())) {
                assertThat(raw.send("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n").readToClose())
                        .startsWith("HTTP/1.1 403").contains("reject.docker.internal");
            }
        }
    }
}
