package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BasicSchemeTest {

    private final Credentials alice = new Credentials("CORP\\alice", "pässword:1".toCharArray());
    private final AuthTarget proxy = new AuthTarget("proxy.corp", 8080);
    private static final AuthRequest GET = new AuthRequest("GET", "http://example.com/");

    @Test
    void encodesUserAndPasswordInUtf8() throws Exception {
        String token = new BasicScheme().newSession(alice, proxy).initialToken(GET).orElseThrow();
        assertThat(token).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(token.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("CORP\\alice:pässword:1");
    }

    @Test
    void answersAFirstChallengeAndTreatsASecondAsRejection() throws Exception {
        AuthSession session = new BasicScheme().newSession(alice, proxy);
        Challenge challenge = new Challenge("Basic", null, Map.of("realm", "corp"));
        assertThat(session.respond(challenge, GET)).startsWith("Basic ");
        assertThatThrownBy(() -> session.respond(challenge, GET))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("rejected").hasMessageContaining("CORP\\alice").hasMessageContaining("proxy.corp:8080")
                .hasMessageNotContaining("pässword")
                .satisfies(e -> assertThat(((AuthenticationException) e).reason())
                        .isEqualTo(AuthenticationException.Reason.REJECTED));
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        assertThat(alice.toString()).contains("CORP\\alice").doesNotContain("pässword");
        assertThat(alice.identity()).isEqualTo("CORP\\alice");
    }

    @Test
    void discoveryFindsEverySchemeStrongestFirst() {
        AuthSchemes schemes = AuthSchemes.discover();
        assertThat(schemes.all()).extracting(AuthScheme::name).containsExactly("Negotiate", "NTLM", "Digest", "Basic");
        assertThat(schemes.find("basic")).isPresent();
        assertThat(schemes.find("bogus")).isEmpty();
    }

    @Test
    void onlyNegotiateFallsBackWhenRejected() {
        assertThat(AuthSchemes.discover().all()).filteredOn(AuthScheme::fallsBackWhenRejected)
                .extracting(AuthScheme::name).containsExactly("Negotiate");
    }

    @Test
    void anEmptyPasswordIsNeverSent() {
        AuthSession session = new BasicScheme().newSession(new Credentials("alice", new char[0]), new AuthTarget("proxy", 3128));
        assertThatThrownBy(() -> session.initialToken(new AuthRequest("GET", "http://x/")))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("needs a password");
    }
}
