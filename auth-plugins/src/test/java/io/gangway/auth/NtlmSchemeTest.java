package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import jcifs.config.PropertyConfiguration;
import jcifs.context.BaseContext;
import jcifs.ntlmssp.NtlmFlags;
import jcifs.ntlmssp.Type2Message;
import jcifs.ntlmssp.Type3Message;
import org.junit.jupiter.api.Test;

class NtlmSchemeTest {

    private static final AuthRequest GET = new AuthRequest("GET", "http://example.com/");
    private final Credentials alice = new Credentials("CORP\\alice", "pw".toCharArray());

    private static byte[] serverType2() throws Exception {
        Properties props = new Properties();
        props.setProperty("jcifs.netbios.hostname", "SERVER");
        props.setProperty("jcifs.netbios.laddr", "127.0.0.1");
        int flags = NtlmFlags.NTLMSSP_NEGOTIATE_UNICODE | NtlmFlags.NTLMSSP_NEGOTIATE_NTLM
                | NtlmFlags.NTLMSSP_NEGOTIATE_TARGET_INFO | NtlmFlags.NTLMSSP_REQUEST_TARGET;
        return new Type2Message(new BaseContext(new PropertyConfiguration(props)), flags,
                new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, "CORP").toByteArray();
    }

    private static String type3For(byte[] type2) throws Exception {
        AuthSession session = new NtlmScheme().newSession(new Credentials("CORP\\alice", "pw".toCharArray()),
                new AuthTarget("proxy", 3128));
        assertThat(session.initialToken(GET).orElseThrow()).startsWith("NTLM ");
        return session.respond(new Challenge("NTLM", Base64.getEncoder().encodeToString(type2), Map.of()), GET);
    }

    @Test
    void answersAType2WithAType3ForTheUser() throws Exception {
        String token = type3For(serverType2());
        Type3Message type3 = new Type3Message(Base64.getDecoder().decode(token.substring(5)));
        assertThat(type3.getUser()).isEqualTo("alice");
        assertThat(type3.getDomain()).isEqualTo("CORP");
        assertThat(type3.getNTResponse().length).isGreaterThan(24); // NTLMv2
    }

    @Test
    void aType2WithNonsenseTargetOffsetsIsStillAnswered() throws Exception {
        // As Squid's ntlm_fake_auth sends: target-info offset 0xAAAAAAAA (found by bench/run)
        byte[] type2 = serverType2();
        for (int i = 44; i < 48; i++) {
            type2[i] = (byte) 0xAA;
        }
        String token = type3For(type2);
        Type3Message type3 = new Type3Message(Base64.getDecoder().decode(token.substring(5)));
        assertThat(type3.getUser()).isEqualTo("alice");
    }

    @Test
    void somethingThatIsNotAType2IsRejectedClearly() {
        byte[] notNtlm = "HELLO, I AM NOT AN NTLM MESSAGE AT ALL!!".getBytes();
        assertThatThrownBy(() -> type3For(notNtlm)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("does not parse: no NTLMSSP signature");
        assertThat(alice.identity()).isEqualTo("CORP\\alice");
    }

    @Test
    void aTruncatedType2IsReportedAsTruncatedNotAsAnIndexOutOfBounds() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(serverType2(), 20);
        assertThatThrownBy(() -> type3For(cut)).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("its NTLM challenge (Type 2) is 20 bytes").hasMessageContaining("truncated")
                .hasMessageNotContaining("out of bounds");
    }
}
