package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gangway.auth.AuthenticationException.Reason;
import java.util.Base64;
import java.util.Map;
import jcifs.ntlmssp.Type3Message;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the NTLM challenge (Type 2) that an upstream sends after Gangway's
 * Type 1: the input is the decoded message. Every input ends in a Type 3 that JCIFS reads back
 * for the same user, or an {@link AuthenticationException} saying the challenge is malformed.
 * Seeds: {@code NtlmType2FuzzTestInputs/type2/}: Type 2 messages as Samba, Windows (MS-NLMP's
 * example) and Squid's {@code ntlm_fake_auth} send them, made with JCIFS with every flag and
 * target-information shape, and truncated or oversized ones.
 */
class NtlmType2FuzzTest {

    private static final AuthRequest REQUEST = new AuthRequest("GET", "http://origin.example/");

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void type2(byte[] message) throws Exception {
        AuthSession session = new NtlmScheme().newSession(new Credentials("CORP\\alice", "secret".toCharArray()),
                new AuthTarget("proxy.test", 3128));
        assertThat(session.initialToken(REQUEST)).hasValueSatisfying(t -> assertThat(t).startsWith("NTLM "));
        String answer;
        try {
            answer = session.respond(new Challenge("NTLM", Base64.getEncoder().encodeToString(message), Map.of()), REQUEST);
        } catch (AuthenticationException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CHALLENGE);
            assertThat(e.getMessage()).contains("proxy.test:3128").doesNotContain("secret");
            return;
        }
        assertThat(answer).startsWith("NTLM ");
        Type3Message type3 = new Type3Message(Base64.getDecoder().decode(answer.substring(5)));
        // an OEM (not Unicode) Type 2 gets the names upper-cased, as NTLM's OEM form has them
        assertThat(type3.getUser()).isEqualToIgnoringCase("alice");
        assertThat(type3.getDomain()).isEqualToIgnoringCase("CORP");
        assertThat(session.lastTokenProvesPassword()).isTrue();
    }
}
