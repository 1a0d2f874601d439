package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.ProxyUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lockout guard on a clock the test moves. */
class CredentialGuardTest {

    /** A clock that moves only when told (shared with the other lockout tests). */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T09:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();
    private final CredentialGuard guard = new CredentialGuard(Duration.ofSeconds(30), Duration.ofMinutes(2), clock);
    private final CredentialGuard.Key alice = new CredentialGuard.Key(ProxyUrl.parse("http://proxy.test:3128").route(),
            "CORP\\alice", "fingerprint-1");

    @Test
    void aRejectionBlocksTheCredentialsForADoublingCappedTime() {
        assertThat(guard.blocked(alice)).isEmpty();
        String message = guard.rejected(alice, "NTLM");
        assertThat(message).contains("rejected the NTLM credentials of user 'CORP\\alice'").contains("will not send them again");
        assertThat(guard.blocked(alice)).contains(message);
        clock.advance(Duration.ofSeconds(31));
        assertThat(guard.blocked(alice)).as("first block: 30 s").isEmpty();

        guard.rejected(alice, "NTLM");
        clock.advance(Duration.ofSeconds(59));
        assertThat(guard.blocked(alice)).as("second block: 60 s").isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(guard.blocked(alice)).isEmpty();

        for (int i = 0; i < 5; i++) {
            guard.rejected(alice, "NTLM");
        }
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(guard.blocked(alice)).as("capped at 2 min").isEmpty();
    }

    @Test
    void anAcceptedLoginForgetsTheStrikes() {
        guard.rejected(alice, "Basic");
        guard.rejected(alice, "Basic");
        guard.accepted(alice);
        assertThat(guard.blocked(alice)).isEmpty();
        guard.rejected(alice, "Basic");
        clock.advance(Duration.ofSeconds(31));
        assertThat(guard.blocked(alice)).as("back to the first step").isEmpty();
    }

    @Test
    void aChangedSecretIsNotBlocked() {
        guard.rejected(alice, "NTLM");
        CredentialGuard.Key fixed = new CredentialGuard.Key(alice.route(), alice.identity(), "fingerprint-2");
        assertThat(guard.blocked(fixed)).isEmpty();
    }

    /** Two guards on one file stand for two Gangway processes of one user (run and check --login). */
    @Nested
    class SharedThroughTheStateFile {

        @TempDir
        Path dir;

        private CredentialGuard process(Path file) {
            return new CredentialGuard(Duration.ofSeconds(30), Duration.ofMinutes(2), clock, file, Duration.ofSeconds(120));
        }

        @Test
        void aRejectionInOneProcessBlocksTheOtherAndDoublesThere() throws Exception {
            Path file = dir.resolve("state/gangway/lockout.json");
            CredentialGuard run = process(file);
            run.rejected(alice, "NTLM");

            CredentialGuard check = process(file);
            assertThat(check.blocked(alice)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("rejected the NTLM credentials of user 'CORP\\alice'");
            clock.advance(Duration.ofSeconds(31));
            assertThat(check.blocked(alice)).isEmpty();
            check.rejected(alice, "NTLM"); // the second strike, counted from the first process's
            clock.advance(Duration.ofSeconds(59));
            assertThat(process(file).blocked(alice)).as("60 s: the second step").isPresent();

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
            String text = Files.readString(file);
            assertThat(text).contains("\"upstream\" : \"PROXY/proxy.test:3128\"").contains("\"strikes\" : 2")
                    .doesNotContain("fingerprint-1");
        }

        @Test
        void aChangedSecretOrAnAcceptedLoginLiftsTheSharedBlock() {
            Path file = dir.resolve("lockout.json");
            process(file).rejected(alice, "Basic");
            CredentialGuard.Key fixed = new CredentialGuard.Key(alice.route(), alice.identity(), "fingerprint-2");
            assertThat(process(file).blocked(fixed)).isEmpty();
            assertThat(process(file).blocked(alice)).isPresent();
            process(file).accepted(alice);
            assertThat(process(file).blocked(alice)).isEmpty();
        }

        @Test
        void aFileThatCannotBeWrittenLeavesTheGuardInMemory() throws Exception {
            Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
            CredentialGuard guard = process(notADir.resolve("lockout.json"));
            guard.rejected(alice, "NTLM");
            assertThat(guard.blocked(alice)).isPresent();
        }

        @Test
        void aCorruptFileIsStartedAfresh() throws Exception {
            Path file = Files.writeString(dir.resolve("lockout.json"), "{not json");
            CredentialGuard guard = process(file);
            assertThat(guard.blocked(alice)).isEmpty();
            guard.rejected(alice, "NTLM");
            assertThat(process(file).blocked(alice)).isPresent();
        }

        @Test
        void rejectionsAtTheSameTimeInSeveralProcessesAllCount() throws Exception {
            Path file = dir.resolve("lockout.json");
            int processes = 6;
            runTogether(processes, i -> process(file).rejected(alice, "NTLM"));
            assertThat(Files.readString(file)).contains("\"strikes\" : " + processes);
        }

        @Test
        void aStateFileWithUnusableEntriesNeverBreaksALogin() throws Exception {
            Path badSalt = Files.writeString(dir.resolve("bad-salt.json"), "{\"salt\":\"bad salt!\",\"rejections\":[]}");
            assertThat(process(badSalt).blocked(alice)).isEmpty();
            process(badSalt).rejected(alice, "NTLM");
            assertThat(process(badSalt).blocked(alice)).as("started afresh, then kept").isPresent();

            Path noUser = Files.writeString(dir.resolve("no-user.json"), "{\"salt\":\"c2FsdHNhbHRzYWx0c2FsdA==\","
                    + "\"rejections\":[{\"upstream\":\"PROXY/proxy.test:3128\",\"secret\":\"abcd\",\"scheme\":\"NTLM\","
                    + "\"rejectedAt\":\"2026-12-01T09:00:00Z\",\"until\":\"2026-12-01T10:00:00Z\",\"strikes\":3},"
                    + "{\"upstream\":\"PROXY/proxy.test:3128\",\"user\":\"x\",\"secret\":\"abcd\",\"scheme\":\"NTLM\","
                    + "\"rejectedAt\":\"soon\",\"until\":\"later\",\"strikes\":3}]}");
            assertThat(process(noUser).blocked(alice)).isEmpty();
            process(noUser).rejected(alice, "NTLM");
            assertThat(process(noUser).blocked(alice)).isPresent();
        }

        @Test
        void aWriteByAnotherProcessRightAfterOurOwnIsSeen() throws Exception {
            CredentialGuard.Key bob = new CredentialGuard.Key(alice.route(), "CORP\\bob", "fingerprint-3");
            for (int i = 0; i < 50; i++) {
                Path file = dir.resolve("race-" + i + ".json");
                CredentialGuard first = process(file);
                CredentialGuard second = process(file);
                first.rejected(alice, "NTLM");
                second.rejected(bob, "NTLM"); // most often within the same millisecond as the first write
                assertThat(first.blocked(bob)).as("round %d", i).isPresent();
            }
        }
    }

    @Test
    void rejectionsAtTheSameTimeOnSeveralConnectionsAllCount() throws Exception {
        for (int round = 0; round < 20; round++) {
            CredentialGuard shared = new CredentialGuard(Duration.ofSeconds(30), Duration.ofHours(100), clock);
            runTogether(8, i -> shared.rejected(alice, "NTLM"));
            assertThat(shared.backOffs()).singleElement().satisfies(b -> assertThat(b.strikes()).isEqualTo(8));
        }
    }

    /** Runs {@code work} on {@code threads} threads released at once. */
    private static void runTogether(int threads, java.util.function.IntConsumer work) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            done.add(pool.submit(() -> {
                go.await();
                work.accept(n);
                return null;
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<?> f : done) {
            f.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
    }
}
