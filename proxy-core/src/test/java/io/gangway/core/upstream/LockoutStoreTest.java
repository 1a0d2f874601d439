package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probes of a shared lockout-state file: two Gangways (two stores on one file, as two
 * replicas on a shared volume) never both try an account's unproven credentials.
 */
class LockoutStoreTest {

    private static final String UPSTREAM = "PROXY/proxy.test:3128";
    private static final String USER = "CORP\\alice";
    private static final Duration LEASE = Duration.ofSeconds(130);

    @TempDir
    Path dir;

    private final CredentialGuardTest.MovableClock clock = new CredentialGuardTest.MovableClock();

    private LockoutStore replica() {
        return LockoutStore.at(dir.resolve("lockout.json"), clock);
    }

    private Instant until() {
        return clock.instant().plus(LEASE);
    }

    @Test
    void oneReplicaProbesAndTheOtherWaitsUntilTheSecretIsAccepted() throws Exception {
        LockoutStore a = replica();
        LockoutStore b = replica();
        assertThat(a.claim(UPSTREAM, USER, "secret-1", "a", "gangway a", until())).as("a may try").isEmpty();
        assertThat(a.claim(UPSTREAM, USER, "secret-1", "a", "gangway a", until())).as("a again: its own probe").isEmpty();
        assertThat(b.claim(UPSTREAM, USER, "secret-1", "b", "gangway b", until())).get()
                .satisfies(p -> assertThat(p.holder()).isEqualTo("gangway a"));
        assertThat(b.claim(UPSTREAM, USER, "secret-2", "b", "gangway b", until()))
                .as("per account: a changed secret waits for the probe in flight too").isPresent();

        a.accepted(UPSTREAM, USER, "secret-1");
        assertThat(b.claim(UPSTREAM, USER, "secret-1", "b", "gangway b", until())).as("proven: b goes").isEmpty();
        String text = Files.readString(dir.resolve("lockout.json"));
        assertThat(text).doesNotContain("\"owner\"").as("no probe left, none written for a proven secret")
                .contains("\"proven\"").doesNotContain("secret-1");
        assertThat(b.claim(UPSTREAM, USER, "secret-2", "b", "gangway b", until()))
                .as("another secret of the account is unproven: b probes it").isEmpty();
        assertThat(a.claim(UPSTREAM, USER, "secret-2", "a", "gangway a", until())).isPresent();
    }

    @Test
    void aRejectionEndsTheProbeAndAfterTheBlockOneReplicaTriesAgain() {
        LockoutStore a = replica();
        LockoutStore b = replica();
        assertThat(a.claim(UPSTREAM, USER, "wrong", "a", "gangway a", until())).isEmpty();
        Instant now = clock.instant();
        a.strike(UPSTREAM, USER, "wrong", "NTLM", now, 0, n -> now.plusSeconds(30));
        assertThat(b.claim(UPSTREAM, USER, "wrong", "b", "gangway b", until()))
                .as("blocked: b goes on, to find the block and send nothing").isEmpty();
        assertThat(b.find(UPSTREAM, USER, "wrong")).isPresent();

        clock.advance(Duration.ofSeconds(31));
        assertThat(b.claim(UPSTREAM, USER, "wrong", "b", "gangway b", until())).as("the block is over: b tries for all").isEmpty();
        assertThat(a.claim(UPSTREAM, USER, "wrong", "a", "gangway a", until())).get()
                .satisfies(p -> assertThat(p.holder()).isEqualTo("gangway b"));
    }

    @Test
    void aProbeEndsWhenItsReplicaLetsGoOrItsLeaseIsUp() {
        LockoutStore a = replica();
        LockoutStore b = replica();
        assertThat(a.claim(UPSTREAM, USER, "s", "a", "gangway a", until())).isEmpty();
        a.release(UPSTREAM, USER, "b"); // not b's to end
        assertThat(b.claim(UPSTREAM, USER, "s", "b", "gangway b", until())).isPresent();
        a.release(UPSTREAM, USER, "a");
        assertThat(b.claim(UPSTREAM, USER, "s", "b", "gangway b", until())).as("released: b's turn").isEmpty();

        clock.advance(LEASE.minusSeconds(1));
        assertThat(a.claim(UPSTREAM, USER, "s", "a", "gangway a", until())).as("b's lease runs").isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(a.claim(UPSTREAM, USER, "s", "a", "gangway a", until()))
                .as("b went away without a verdict: after its lease a tries").isEmpty();
    }

    @Test
    void aFileOfTheEarlierFormatIsRead() throws Exception {
        LockoutStore writer = replica();
        Instant now = clock.instant();
        writer.strike(UPSTREAM, USER, "old", "Basic", now, 0, n -> now.plusSeconds(30));
        Path file = dir.resolve("lockout.json");
        String salt = Files.readString(file).replaceAll("(?s).*\"salt\" : \"([^\"]+)\".*", "$1");
        String rejections = Files.readString(file).replaceAll("(?s).*(\"rejections\" : \\[.*?\\]).*", "$1");
        Files.writeString(file, "{ \"salt\" : \"" + salt + "\", " + rejections + " }\n");
        LockoutStore reader = replica();
        assertThat(reader.find(UPSTREAM, USER, "old")).get().satisfies(r -> assertThat(r.strikes()).isEqualTo(1));
        assertThat(reader.claim(UPSTREAM, USER, "new", "r", "gangway r", until())).isEmpty();
    }
}
