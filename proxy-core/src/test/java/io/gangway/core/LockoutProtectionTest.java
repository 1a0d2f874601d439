package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.UpstreamProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A wrong password must not lock the domain account: rejected credentials back off. */
class LockoutProtectionTest {

    private static final String PASSWORD = "Right-Pa55";
    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    @TempDir
    Path dir;



    private static String get(CloseableHttpClient client, String url) throws Exception {
        return client.execute(new HttpGet(url), r -> r.getCode() + " " + EntityUtils.toString(r.getEntity()));
    }

    @Test
    void aThousandRequestsWithAWrongPasswordCostAtMostThreeFailedLogins() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        try (AccessLogCapture logs = new AccessLogCapture();
             UpstreamProxy upstream = UpstreamProxy.challenging(ntlm);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://CORP%5Calice@127.0.0.1:" + upstream.port())
                     .env("GANGWAY_PASSWORD", "Wrong-Pa55").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            String last = "";
            for (int i = 0; i < 1000; i++) {
                last = get(client, (i % 2 == 0 ? origin.http("/l/") : origin.https("/l/")) + i);
                assertThat(last).startsWith("502");
            }
            assertThat(ntlm.rejected()).isLessThanOrEqualTo(3);
            assertThat(ntlm.accepted()).isZero();
            assertThat(last).contains("CORP\\alice").contains("127.0.0.1:" + upstream.port())
                    .contains("will not send them again until").contains("GANGWAY_PASSWORD");
            assertThat(logs.lines()).noneMatch(l -> l.contains("Wrong-Pa55"));
        }
    }

    @Test
    void aFixedPasswordFileIsUsedAtOnce() throws Exception {
        BasicChallenger basic = new BasicChallenger("alice", PASSWORD);
        Path passwordFile = dir.resolve("password");
        Files.writeString(passwordFile, "Typo-Pa55-2026\n");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://alice@127.0.0.1:" + upstream.port())
                     .with(ConfigKey.PASSWORD_FILE, passwordFile.toString()).start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(get(client, origin.http("/before"))).startsWith("502");
            assertThat(get(client, origin.http("/blocked"))).startsWith("502").contains("will not send them again");
            assertThat(basic.rejected()).isEqualTo(1);

            Files.writeString(passwordFile, PASSWORD + "\n");
            Files.setLastModifiedTime(passwordFile, FileTime.from(Instant.now().plusSeconds(5)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            String answer;
            do {
                Thread.sleep(200);
                answer = get(client, origin.http("/after"));
            } while (!answer.startsWith("200") && System.nanoTime() < deadline);
            assertThat(answer).isEqualTo("200 ok");
            assertThat(basic.rejected()).isEqualTo(1);
        }
    }

    @Test
    void afterTheBackOffOneMoreTryIsMadeAndTheWaitDoubles() throws Exception {
        BasicChallenger basic = new BasicChallenger("alice", PASSWORD);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://alice@127.0.0.1:" + upstream.port())
                     .with(ConfigKey.LOCKOUT_BACKOFF, "400ms")
                     .env("GANGWAY_PASSWORD", "Typo-Pa55-2026").start();
             CloseableHttpClient client = ProxiedClients.apache(gangway.port())) {
            assertThat(get(client, origin.http("/1"))).startsWith("502");
            assertThat(basic.rejected()).isEqualTo(1);
            Thread.sleep(500);
            assertThat(get(client, origin.http("/2"))).startsWith("502");
            assertThat(basic.rejected()).isEqualTo(2);
            Thread.sleep(500); // the second wait is 800ms: still blocked
            assertThat(get(client, origin.http("/3"))).startsWith("502").contains("will not send them again");
            assertThat(basic.rejected()).isEqualTo(2);
        }
    }
}
