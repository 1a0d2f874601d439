package io.gangway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.core.config.ConfigKey;
import io.gangway.harness.NtlmChallenger;
import io.gangway.harness.UpstreamProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas of a gateway that share one lockout-state file (a volume they all mount) spend one
 * failed login per back-off between them, not one each: while the account's credentials are
 * unproven, one replica tries them and the others wait for its verdict.
 */
class SharedLockoutTest {

    private static final String PASSWORD = "Right-Pa55-replicas";
    private static final String WRONG = "Wrong-Pa55-replicas";
    private static final int REPLICAS = 3;
    private static final int CLIENTS_EACH = 8;

    @RegisterExtension
    static final OriginFixture origin = new OriginFixture("ok");

    @TempDir
    Path dir;

    private List<RunningGangway> replicas(UpstreamProxy upstream, String password, boolean shared) throws Exception {
        List<RunningGangway> out = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            Path state = dir.resolve(shared ? "shared/lockout.json" : "replica-" + i + "/lockout.json");
            out.add(RunningGangway.builder()
                    .with(ConfigKey.UPSTREAM, "http://CORP%5Calice@127.0.0.1:" + upstream.port())
                    .with(ConfigKey.LOCKOUT_STATE, state.toString())
                    .with(ConfigKey.LOCKOUT_BACKOFF, "1s")
                    .env("GANGWAY_PASSWORD", password).start());
        }
        return out;
    }

    /** {@link #CLIENTS_EACH} clients per replica, each on a connection of its own, released together; their answers. */
    private static List<String> together(List<RunningGangway> replicas, String path) throws Exception {
        return TogetherClients.get(replicas.stream().map(RunningGangway::port).toList(), replicas.size() * CLIENTS_EACH,
                i -> (i % 2 == 0 ? origin.http(path) : origin.https(path)) + i);
    }

    private interface ReplicaCheck {
        void run(List<RunningGangway> replicas, NtlmChallenger ntlm) throws Exception;
    }

    /** {@link #REPLICAS} Gangways with {@code password}, on one lockout-state file or one each, before one NTLM upstream. */
    private void withReplicas(String password, boolean shared, ReplicaCheck check) throws Exception {
        NtlmChallenger ntlm = new NtlmChallenger("alice", PASSWORD);
        try (UpstreamProxy upstream = UpstreamProxy.challenging(ntlm)) {
            List<RunningGangway> replicas = replicas(upstream, password, shared);
            try {
                check.run(replicas, ntlm);
            } finally {
                replicas.forEach(RunningGangway::close);
            }
        }
    }

    @Test
    void aWrongPasswordCostsOneFailedLoginPerBackOffAcrossReplicas() throws Exception {
        withReplicas(WRONG, true, (replicas, ntlm) -> {
            assertThat(together(replicas, "/first/")).allMatch(a -> a.startsWith("502"), "every client told of the rejection")
                    .allMatch(a -> a.contains("credentials of user"));
            assertThat(ntlm.rejected()).as("failed logins, all replicas together").isEqualTo(1);

            Thread.sleep(1_300); // the 1 s back-off is over: one replica tries again, for all
            assertThat(together(replicas, "/again/")).allMatch(a -> a.startsWith("502"));
            assertThat(ntlm.rejected()).as("one more: the second back-off (2 s) now holds").isEqualTo(2);
            assertThat(together(replicas, "/blocked/")).allMatch(a -> a.contains("will not send them again"));
            assertThat(ntlm.rejected()).isEqualTo(2);
            assertThat(Files.readString(dir.resolve("shared/lockout.json"))).doesNotContain(WRONG)
                    .contains("\"strikes\" : 2").doesNotContain("\"owner\"");
        });
    }

    @Test
    void replicasWithStateOfTheirOwnEachSpendALogin() throws Exception {
        withReplicas(WRONG, false, (replicas, ntlm) -> {
            assertThat(together(replicas, "/own/")).allMatch(a -> a.startsWith("502"));
            assertThat(ntlm.rejected()).as("the bound without a shared file: one per replica").isEqualTo(REPLICAS);
        });
    }

    @Test
    void withTheRightPasswordEveryReplicaServesOnceOneLoginIsAccepted() throws Exception {
        withReplicas(PASSWORD, true, (replicas, ntlm) -> {
            assertThat(together(replicas, "/right/")).allMatch(a -> a.equals("200 ok"));
            assertThat(ntlm.rejected()).isZero();
            assertThat(ntlm.accepted()).isPositive();
            assertThat(Files.readString(dir.resolve("shared/lockout.json"))).contains("\"proven\"")
                    .doesNotContain("\"owner\"").doesNotContain(PASSWORD);
        });
    }
}
