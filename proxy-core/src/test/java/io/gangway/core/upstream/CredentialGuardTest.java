package io.gangway.core.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.routing.ProxyUrl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The lockout guard on a clock the test moves. */
class CredentialGuardTest {

    private static final class MovableClock extends Clock {
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
}
