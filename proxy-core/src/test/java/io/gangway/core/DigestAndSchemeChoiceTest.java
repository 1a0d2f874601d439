package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.Challenger;
import io.gangway.harness.DigestChallenger;
import io.gangway.harness.MultiChallenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.util.Random;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Digest (RFC 7616) end to end, and the choice among several offered schemes. */
class DigestAndSchemeChoiceTest {

    private static final String PASSWORD = "d1gest-pw";
    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");



    private static RunningGangway gangway(UpstreamProxy upstream, String password, String auth) throws Exception {
        RunningGangway.Builder b = RunningGangway.builder()
                .with(ConfigKey.UPSTREAM, "http://bob@127.0.0.1:" + upstream.port())
                .env("GANGWAY_PASSWORD", password);
        if (auth != null) {
            b.with(ConfigKey.AUTH, auth);
        }
        return b.start();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "SHA-256", "SHA-256-sess"})
    void digestSignsEveryRequestAfterTheFirstChallenge(String algorithm) throws Exception {
        DigestChallenger digest = new DigestChallenger("bob", PASSWORD, algorithm, 1000);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(digest);
             RunningGangway gangway = gangway(upstream, PASSWORD, null);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 10; i++) {
                assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/d/" + i)))).isEqualTo("ok");
            }
            assertThat(ProxiedClients.text(client, new HttpGet(origin.https("/d-tls")))).isEqualTo("ok");
            assertThat(digest.rejected()).isZero();
            assertThat(digest.accepted()).isEqualTo(11);
            assertThat(digest.challenges()).isEqualTo(1); // nonce counting: one round trip in all
        }
    }

    @Test
    void aStaleNonceIsRenewedWithoutFailingTheRequest() throws Exception {
        DigestChallenger digest = new DigestChallenger("bob", PASSWORD, "SHA-256", 3);
        byte[] body = new byte[50_000];
        new Random(5).nextBytes(body);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(digest);
             RunningGangway gangway = gangway(upstream, PASSWORD, null);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            for (int i = 0; i < 10; i++) {
                HttpPost post = new HttpPost(origin.http("/stale/" + i));
                post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
                assertThat(ProxiedClients.text(client, post)).isEqualTo("ok");
            }
            assertThat(digest.rejected()).isZero();
            // the first upload learned the scheme with a body-less OPTIONS (407), then went signed
            assertThat(digest.accepted()).isEqualTo(10);
        }
    }

    @Test
    void aWrongDigestPasswordIsReported() throws Exception {
        DigestChallenger digest = new DigestChallenger("bob", PASSWORD, "MD5", 1000);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(digest);
             RunningGangway gangway = gangway(upstream, "Wrong-Digest-2026", null);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/x")), r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("rejected the Digest credentials of user 'bob'");
            assertThat(digest.rejected()).isEqualTo(1);
        }
    }

    @Test
    void theStrongestOfferedSchemeIsChosen() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("bob", PASSWORD);
        BasicChallenger basic = new BasicChallenger("bob", PASSWORD);
        Challenger offersBoth = new MultiChallenger().with("Basic", basic).with("NTLM", ntlm);
        try (AccessLogCapture logs = new AccessLogCapture();
             UpstreamProxy upstream = UpstreamProxy.challenging(offersBoth);
             RunningGangway gangway = gangway(upstream, PASSWORD, null);
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/choice")))).isEqualTo("ok");
            assertThat(ntlm.accepted()).isEqualTo(1);
            assertThat(basic.accepted()).isZero();
            assertThat(logs.lines()).anyMatch(l -> l.contains("using NTLM (offered: Basic, NTLM)"));
        }
    }

    @Test
    void theAuthListRestrictsAndOrdersSchemes() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("bob", PASSWORD);
        BasicChallenger basic = new BasicChallenger("bob", PASSWORD);
        Challenger offersBoth = new MultiChallenger().with("NTLM", ntlm).with("Basic", basic);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(offersBoth);
             RunningGangway gangway = gangway(upstream, PASSWORD, "basic");
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(ProxiedClients.text(client, new HttpGet(origin.http("/basic-only")))).isEqualTo("ok");
            assertThat(basic.accepted()).isEqualTo(1);
            assertThat(ntlm.handshakes()).isZero();
        }
    }

    @Test
    void noSchemeInCommonIsExplained() throws Exception {
        Challenger ntlmOnly = new NtlmChallenger("bob", PASSWORD);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(ntlmOnly);
             RunningGangway gangway = gangway(upstream, PASSWORD, "basic,digest");
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String answer = client.execute(new HttpGet(origin.http("/none")), r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
            assertThat(answer).startsWith("502").contains("offers NTLM").contains("basic, digest");
        }
    }
}
