package io.gangway.core.cli;

import io.gangway.harness.audit.TestSecrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.RunningGangway;
import io.gangway.core.config.ConfigKey;
import io.gangway.harness.BasicChallenger;
import io.gangway.harness.DigestChallenger;
import io.gangway.harness.MultiChallenger;
import io.gangway.harness.NegotiateChallenger;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.Origin;
import io.gangway.harness.ProxiedClients;
import io.gangway.harness.TestKdc;
import io.gangway.harness.UpstreamProxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code gangway check --login} against upstreams that really challenge: one login per upstream,
 * each configured scheme reported, and the lockout back-off shared with {@code run} through the
 * state file in both directions.
 */
class CheckLoginTest {

    private static Origin origin;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        origin = Origin.answering("ok");
    }

    @AfterAll
    static void stop() {
        origin.close();
    }

    private CliRun check(String password, String... args) throws Exception {
        Path file = dir.resolve("password-" + password.hashCode());
        Files.writeString(file, TestSecrets.record(password) + "\n");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--login", "--password-file", file.toString(), "--lockout-state", dir.resolve("lockout.json").toString()));
        return CliRun.of(new CommandLine(new CheckCommand(Map.of("HOME", "/nonexistent")).spec()), all.toArray(String[]::new));
    }

    @Test
    void theRightPasswordIsAcceptedAndEachConfiguredSchemeReported() throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", "Winter-2026");
        BasicChallenger basic = new BasicChallenger("alice", "Winter-2026");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(new MultiChallenger().with("NTLM", ntlm).with("Basic", basic))) {
            CliRun r = check("Winter-2026", origin.http("/login"), "--upstream", "http://127.0.0.1:" + upstream.port(),
                    "--user", "CORP\\alice", "--auth", "ntlm,digest,basic");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("login:    PROXY 127.0.0.1:" + upstream.port() + " offers ntlm, basic; accepted "
                            + "CORP\\alice (answers 200 OK)")
                    .contains("          ntlm: accepted")
                    .contains("          digest: not offered")
                    .contains("          basic: not tried (one login per upstream)");
            assertThat(ntlm.accepted()).isEqualTo(1);
            assertThat(basic.accepted() + basic.rejected()).isZero();
        }
    }

    @Test
    void aWrongPasswordCostsOneLoginAndTheNextCheckHonoursTheBackOff() throws Exception {
        BasicChallenger basic = new BasicChallenger("bob", "Right-Login-2026");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic)) {
            String[] args = {"https://127.0.0.1:" + origin.httpsPort() + "/", "--upstream", "http://127.0.0.1:" + upstream.port(),
                    "--user", "bob"};
            CliRun first = check("Wrong-Login-2026", args);
            assertThat(first.exit()).isEqualTo(1);
            assertThat(first.out()).contains("offers basic; did not accept bob").contains("          basic: rejected")
                    .contains("Gangway will not send them again until");
            assertThat(basic.rejected()).isEqualTo(1);

            CliRun second = check("Wrong-Login-2026", args);
            assertThat(second.exit()).isEqualTo(1);
            assertThat(second.out()).contains("will not send them again until");
            assertThat(basic.rejected()).as("the block on record: nothing sent").isEqualTo(1);

            CliRun fixed = check("Right-Login-2026", args); // a changed password is a different secret
            assertThat(fixed.exit()).as(fixed.out()).isZero();
            assertThat(fixed.out()).contains("accepted bob (answers 200");
            assertThat(basic.accepted()).isEqualTo(1);
        }
    }

    @Test
    void runAndCheckShareOneBackOff() throws Exception {
        BasicChallenger basic = new BasicChallenger("bob", "Right-Login-2026");
        Path state = dir.resolve("lockout.json");
        Path wrong = Files.writeString(dir.resolve("wrong"), "Wrong-Login-2026\n");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(basic);
             RunningGangway run = RunningGangway.builder().with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + upstream.port())
                     .with(ConfigKey.USER, "bob").with(ConfigKey.PASSWORD_FILE, wrong.toString())
                     .with(ConfigKey.LOCKOUT_STATE, state.toString()).start();
             CloseableHttpClient client = ProxiedClients.apache(run.port())) {
            int status = client.execute(new HttpGet(origin.http("/run")), r -> r.getCode());
            assertThat(status).isEqualTo(502);
            assertThat(basic.rejected()).isEqualTo(1);

            CliRun check = check("Wrong-Login-2026", origin.http("/check"), "--upstream", "http://127.0.0.1:" + upstream.port(), "--user", "bob");
            assertThat(check.exit()).isEqualTo(1);
            assertThat(check.out()).contains("will not send them again until");
            assertThat(basic.rejected()).as("run's rejection honoured by check").isEqualTo(1);
        }
        // and the other way: a rejection by check holds back a Gangway started after it
        BasicChallenger other = new BasicChallenger("carol", "Right-Login-2026");
        try (UpstreamProxy upstream = UpstreamProxy.challenging(other)) {
            assertThat(check("Wrong-Login-2026", origin.http("/first"), "--upstream", "http://127.0.0.1:" + upstream.port(),
                    "--user", "carol").exit()).isEqualTo(1);
            assertThat(other.rejected()).isEqualTo(1);
            try (RunningGangway run = RunningGangway.builder().with(ConfigKey.UPSTREAM, "http://127.0.0.1:" + upstream.port())
                    .with(ConfigKey.USER, "carol").with(ConfigKey.PASSWORD_FILE, dir.resolve("password-" + "Wrong-Login-2026".hashCode()).toString())
                    .with(ConfigKey.LOCKOUT_STATE, state.toString()).start();
                 CloseableHttpClient client = ProxiedClients.apache(run.port())) {
                String answer = client.execute(new HttpGet(origin.http("/after")),
                        r -> r.getCode() + " " + new String(r.getEntity().getContent().readAllBytes()));
                assertThat(answer).startsWith("502").contains("will not send them again until");
                assertThat(other.rejected()).as("check's rejection honoured by run").isEqualTo(1);
            }
        }
    }

    @Test
    void anUpstreamThatAsksForNothingOrAPlanWithoutProxiesIsReported() throws Exception {
        try (UpstreamProxy open = UpstreamProxy.open()) {
            CliRun r = check("Login-Pa55-2026", origin.http("/open"), "--upstream", "http://127.0.0.1:" + open.port(), "--user", "bob");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("it asks for no authentication");
        }
        CliRun direct = check("Login-Pa55-2026", origin.http("/direct"), "--routing", "direct");
        assertThat(direct.exit()).isEqualTo(1);
        assertThat(direct.out()).contains("the plan names no HTTP proxy: nothing to log in to");
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        CliRun unreachable = check("Login-Pa55-2026", origin.http("/dead"), "--upstream", "http://127.0.0.1:" + dead, "--user", "bob");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.out()).contains("no answer").contains("no login tried");
    }

    @Test
    void digestIsTriedWhenItIsTheFirstOfferedAndConfigured() throws Exception {
        DigestChallenger digest = new DigestChallenger("dave", "Login-Pa55-2026", "SHA-256", 100);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(digest)) {
            CliRun r = check("Login-Pa55-2026", origin.http("/digest"), "--upstream", "http://127.0.0.1:" + upstream.port(), "--user", "dave");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("offers digest; accepted dave").contains("          digest: accepted")
                    .contains("          ntlm: not offered");
            assertThat(digest.accepted()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aPasswordTheKdcRejectsIsNotTriedAgainByNtlm() throws Exception {
        // Proxies in an AD domain offer Negotiate and NTLM. A wrong password fails at the KDC
        // (pre-authentication, which AD counts as a bad password): NTLM must not spend a second
        // failed login with it, and the next check must honour the back-off.
        TestKdc kdc = new TestKdc(dir, 3600);
        try {
            kdc.createUser("alice", "Right-Login-2026");
            NegotiateChallenger negotiate = new NegotiateChallenger("HTTP/localhost@" + TestKdc.REALM,
                    kdc.serviceKeytab("HTTP/localhost"));
            NtlmChallenger ntlm = new NtlmChallenger("alice", "Right-Login-2026");
            try (UpstreamProxy upstream = UpstreamProxy.challenging(new MultiChallenger().with("Negotiate", negotiate)
                    .with("NTLM", ntlm))) {
                String[] args = {origin.http("/kdc"), "--upstream", "http://localhost:" + upstream.port(), "--user", "alice",
                        "--domain", TestKdc.REALM};
                CliRun first = checkWithKdc(kdc, "Wrong-Login-2026", args);
                assertThat(first.exit()).isEqualTo(1);
                assertThat(first.out()).contains("negotiate: rejected").contains("the KDC rejected the password of alice");
                assertThat(ntlm.rejected() + ntlm.accepted()).as("NTLM never tried the wrong password").isZero();
                CliRun second = checkWithKdc(kdc, "Wrong-Login-2026", args);
                assertThat(second.out()).contains("will not send them again until");
                assertThat(ntlm.rejected() + ntlm.accepted()).isZero();
            }
        } finally {
            kdc.close();
        }
    }

    private CliRun checkWithKdc(TestKdc kdc, String password, String... args) throws Exception {
        Path file = dir.resolve("kdc-password");
        Files.writeString(file, TestSecrets.record(password) + "\n");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--login", "--password-file", file.toString(), "--lockout-state", dir.resolve("lockout.json").toString()));
        return CliRun.of(new CommandLine(new CheckCommand(Map.of("HOME", "/nonexistent",
                "KRB5CCNAME", dir.resolve("krb5cc_none").toString())).spec()), all.toArray(String[]::new));
    }
}
