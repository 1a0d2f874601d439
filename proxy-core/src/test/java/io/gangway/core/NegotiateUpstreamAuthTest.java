package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.MultiChallenger;
import io.gangway.harness.NegotiateChallenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.TestKdc;
import io.gangway.harness.UpstreamProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Negotiate/Kerberos against a JGSS acceptor whose keytab an embedded KDC issued: password,
 * keytab and ticket-cache logins, a ticket that appears after start-up, and the fall back to
 * NTLM when there is no ticket.
 */
class NegotiateUpstreamAuthTest {

    private static final String PASSWORD = "K3rb-Pa55-2026";
    @TempDir
    static Path dir;
    private static TestKdc kdc;
    private static Path serviceKeytab;
    private static Origin origin;

    @BeforeAll
    static void start() throws Exception {
        kdc = new TestKdc(dir, 3600);
        kdc.createUser("alice", PASSWORD);
        serviceKeytab = kdc.serviceKeytab("HTTP/localhost");
        origin = Origin.answering("krb ok");
    }

    @AfterAll
    static void stop() throws Exception {
        origin.close();
        kdc.close();
    }

    private static NegotiateChallenger acceptor() throws Exception {
        return new NegotiateChallenger("HTTP/localhost@" + TestKdc.REALM, serviceKeytab);
    }

    /** The upstream is addressed as localhost, so the ticket is for HTTP/localhost. */
    private static String upstreamUrl(UpstreamProxy upstream) {
        return "http://localhost:" + upstream.port();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "https"})
    void passwordLogin(String scheme) throws Exception {
        NegotiateChallenger negotiate = acceptor();
        try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                     .with(ConfigKey.USER, "alice").with(ConfigKey.DOMAIN, TestKdc.REALM)
                     .env("GANGWAY_PASSWORD", PASSWORD).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 5; i++) {
                String url = scheme.equals("http") ? origin.http("/k/" + i) : origin.https("/k/" + i);
                assertThat(ProxiedClients.text(client, new HttpGet(url))).isEqualTo("krb ok");
            }
            assertThat(negotiate.accepted()).isEqualTo(1);
            assertThat(negotiate.clients()).containsExactly("alice@" + TestKdc.REALM);
            assertThat(upstream.connections()).isEqualTo(1);
        }
    }

    @Test
    void keytabLoginSendsTheTokenPreemptivelyOnNewConnections() throws Exception {
        NegotiateChallenger negotiate = acceptor();
        Path keytab = kdc.keytabOf("alice");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                     .with(ConfigKey.KEYTAB, keytab.toString())
                     .with(ConfigKey.PRINCIPAL, "alice@" + TestKdc.REALM).start()) {
            for (int i = 0; i < 3; i++) {
                try (CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                    assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/tunnel/" + i)))).isEqualTo("krb ok");
                }
            }
            assertThat(negotiate.accepted()).isEqualTo(3);
            // first tunnel: bare CONNECT, then with a token; the later ones start with a token
            assertThat(upstream.requests()).isEqualTo(2 + 1 + 1);
        }
    }

    @Test
    void aTicketCacheFilledAfterStartUpIsPickedUp() throws Exception {
        NegotiateChallenger negotiate = acceptor();
        Path cache = dir.resolve("krb5cc_later");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                     .env("KRB5CCNAME", "FILE:" + cache).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String before = client.execute(new HttpGet(origin.http("/no-ticket")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(before).startsWith("502").contains("Negotiate").contains("kinit");

            kdc.kinit("alice", PASSWORD, cache); // the user runs kinit; no restart
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/with-ticket")))).isEqualTo("krb ok");
            assertThat(negotiate.clients()).containsExactly("alice@" + TestKdc.REALM);
        }
    }

    @Test
    void withoutATicketNtlmIsUsedWhenOffered() throws Exception {
        // carol has no ticket in her cache, and no principal in the realm to log in with
        NegotiateChallenger negotiate = acceptor();
        NtlmChallenger ntlm = new NtlmChallenger("carol", PASSWORD);
        Path emptyCache = dir.resolve("krb5cc_none");
        try (AccessLogCapture logs = new AccessLogCapture();
             UpstreamProxy upstream = UpstreamProxy.challenging(
                     new MultiChallenger().with("Negotiate", negotiate).with("NTLM", ntlm));
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                     .with(ConfigKey.USER, "CORP\\carol")
                     .env("GANGWAY_PASSWORD", PASSWORD)
                     .env("KRB5CCNAME", emptyCache.toString()).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/fallback")))).isEqualTo("krb ok");
            assertThat(ntlm.accepted()).isEqualTo(1);
            assertThat(negotiate.accepted()).isZero();
            assertThat(logs.lines()).anyMatch(l -> l.contains("Negotiate cannot be used with upstream"))
                    .anyMatch(l -> l.contains("using NTLM"));
        }
    }

    @Test
    void aTicketForTheWrongServiceFallsBackToNtlm() throws Exception {
        // The proxy's keytab is for another name than the one Gangway asks a ticket for.
        Path otherKeytab = kdc.serviceKeytab("HTTP/proxy.elsewhere");
        NegotiateChallenger wrongService = new NegotiateChallenger("HTTP/proxy.elsewhere@" + TestKdc.REALM, otherKeytab);
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        Path cache = dir.resolve("krb5cc_wrong_service");
        kdc.kinit("alice", PASSWORD, cache);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(
                     new MultiChallenger().with("Negotiate", wrongService).with("NTLM", ntlm));
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                     .with(ConfigKey.USER, "CORP\\alice")
                     .env("GANGWAY_PASSWORD", PASSWORD)
                     .env("KRB5CCNAME", "FILE:" + cache).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/wrong-spn")))).isEqualTo("krb ok");
            assertThat(wrongService.rejected()).isEqualTo(1);
            assertThat(ntlm.accepted()).isEqualTo(1);
        }
    }

    @Test
    void canonicalisationTurnsAnAddressIntoTheServiceName() throws Exception {
        // Addressed as 127.0.0.1, the proxy's service is HTTP/127.0.0.1, which the realm lacks;
        // canonicalised, the address becomes localhost (/etc/hosts), whose key the proxy has.
        NegotiateChallenger negotiate = acceptor();
        try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate)) {
            for (boolean canonicalize : new boolean[] {false, true}) {
                try (RunningGangway gangway = RunningGangway.builder()
                        .with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + upstream.port())
                        .with(ConfigKey.USER, "alice").with(ConfigKey.DOMAIN, TestKdc.REALM)
                        .with(ConfigKey.KERBEROS_CANONICALIZE, String.valueOf(canonicalize))
                        .env("GANGWAY_PASSWORD", PASSWORD).start();
                     CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                    String answer = client.execute(new HttpGet(origin.http("/canon-" + canonicalize)),
                            r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                    if (canonicalize) {
                        assertThat(answer).isEqualTo("200 krb ok");
                    } else {
                        assertThat(answer).startsWith("502").contains("HTTP@127.0.0.1");
                    }
                }
            }
        }
    }

    @Test
    void aMalformedNegotiateTokenIsAClearErrorNotAHang() throws Exception {
        try (io.gangway.harness.RawServer broken = new io.gangway.harness.RawServer((socket, in, out) -> {
            for (String offer : new String[] {"Negotiate", "Negotiate AAAAAAAAAAAA"}) {
                io.gangway.harness.RawServer.readHead(in);
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: " + offer
                        + "\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            }
            in.readAllBytes();
        });
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://localhost:" + broken.port())
                     .with(ConfigKey.USER, "alice").with(ConfigKey.DOMAIN, TestKdc.REALM)
                     .env("GANGWAY_PASSWORD", PASSWORD).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/garbage")),
                    r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("Negotiate token that does not verify");
        }
    }

    @Test
    void anExpiredTicketGetsAClearError() throws Exception {
        Path kdcDir = Files.createDirectories(dir.resolve("short"));
        NegotiateChallenger negotiate = acceptor();
        Path cache = kdcDir.resolve("krb5cc_expired");
        try (TestKdc shortLived = new TestKdc(kdcDir, 8)) {
            shortLived.createUser("bob", PASSWORD);
            shortLived.kinit("bob", PASSWORD, cache);
            Thread.sleep(9_000);
            try (UpstreamProxy upstream = UpstreamProxy.challenging(negotiate);
                 RunningGangway gangway = RunningGangway.builder()
                         .with(ConfigKey.UPSTREAM, upstreamUrl(upstream))
                         .env("KRB5CCNAME", cache.toString()).start();
                 CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
                String answer = client.execute(new HttpGet(origin.http("/expired")),
                        r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
                assertThat(answer).startsWith("502").contains("Kerberos").contains("kinit");
            }
        } finally {
            // later tests need the long-lived realm's krb5.conf again
            System.setProperty("java.security.krb5.conf", dir.resolve("krb5.conf").toString());
        }
    }
}
