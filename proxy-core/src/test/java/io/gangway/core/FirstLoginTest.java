package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.Challenger;
import io.gangway.harness.DigestChallenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.UpstreamProxy;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent first requests with a wrong password cost one failed login, not one each: until an
 * account's credentials are accepted once, one handshake per account and upstream is in flight.
 */
class FirstLoginTest {

    private static final String PASSWORD = "Right-Pa55-first-login";
    private static final int CLIENTS = 24;

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    /** {@link #CLIENTS} clients, each on its own connection, released together; their answers. */
    private static List<String> together(int proxyPort, String path) throws Exception {
        return TogetherClients.get(List.of(proxyPort), CLIENTS, i -> (i % 2 == 0 ? origin.http(path) : origin.https(path)) + i);
    }

    private static void wrongPasswordCostsOneLogin(Challenger challenger, String user, IntSupplier rejected) throws Exception {
        try (UpstreamProxy upstream = UpstreamProxy.challenging(challenger);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://" + user + "@127.0.0.1:" + upstream.port())
                     .env("GANGWAY_PASSWORD", "Wrong-Pa55-first-login").start()) {
            List<String> answers = together(gangway.port(), "/wrong/");
            assertThat(answers).allMatch(a -> a.startsWith("502"), "every client told of the rejection")
                    .allMatch(a -> a.contains("credentials of user"));
            assertThat(rejected.getAsInt()).as("failed logins at the upstream").isEqualTo(1);
        }
    }

    @Test
    void concurrentBasicRequestsWithAWrongPasswordCostOneFailedLogin() throws Exception {
        BasicChallenger basic = new BasicChallenger("alice", PASSWORD);
        wrongPasswordCostsOneLogin(basic, "alice", basic::rejected);
    }

    @Test
    void concurrentNtlmRequestsWithAWrongPasswordCostOneFailedLogin() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        wrongPasswordCostsOneLogin(ntlm, "CORP%5Calice", ntlm::rejected);
    }

    @Test
    void concurrentDigestRequestsWithAWrongPasswordCostOneFailedLogin() throws Exception {
        DigestChallenger digest = new DigestChallenger("alice", PASSWORD, "SHA-256", 100);
        wrongPasswordCostsOneLogin(digest, "alice", digest::rejected);
    }

    @Test
    void withTheRightPasswordAllGoOnceTheFirstLoginIsAccepted() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(ntlm);
             RunningGangway gangway = RunningGangway.builder()
                     .with(ConfigKey.UPSTREAM, "http://CORP%5Calice@127.0.0.1:" + upstream.port())
                     .env("GANGWAY_PASSWORD", PASSWORD).start()) {
            assertThat(together(gangway.port(), "/right/")).allMatch(a -> a.equals("200 ok"));
            assertThat(ntlm.rejected()).isZero();
            assertThat(ntlm.accepted()).isPositive();
        }
    }
}
