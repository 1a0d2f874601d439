package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeParserTest {

    @Test
    void bareSchemes() throws Exception {
        List<Challenge> c = ChallengeParser.parseAll(List.of("Negotiate", "NTLM"));
        assertThat(c).extracting(Challenge::scheme).containsExactly("Negotiate", "NTLM");
        assertThat(c.get(0).token()).isEmpty();
        assertThat(c.get(0).params()).isEmpty();
    }

    @Test
    void token68WithPadding() throws Exception {
        Challenge c = ChallengeParser.parse("NTLM TlRMTVNTUAACAAAADAAMADAAAAA=").get(0);
        assertThat(c.isScheme("ntlm")).isTrue();
        assertThat(c.token()).contains("TlRMTVNTUAACAAAADAAMADAAAAA=");
    }

    @Test
    void paramsWithQuotedCommasAndEscapes() throws Exception {
        Challenge c = ChallengeParser.parse("Digest realm=\"corp, inc\", nonce=\"a\\\"b\", qop=\"auth,auth-int\", algorithm=SHA-256").get(0);
        assertThat(c.scheme()).isEqualTo("Digest");
        assertThat(c.param("REALM")).contains("corp, inc");
        assertThat(c.param("nonce")).contains("a\"b");
        assertThat(c.param("qop")).contains("auth,auth-int");
        assertThat(c.param("algorithm")).contains("SHA-256");
    }

    @Test
    void severalChallengesInOneHeader() throws Exception {
        List<Challenge> c = ChallengeParser.parse("Basic realm=\"a\", NTLM, Negotiate abc==, Digest realm=b, nonce=\"n\"");
        assertThat(c).extracting(Challenge::scheme).containsExactly("Basic", "NTLM", "Negotiate", "Digest");
        assertThat(c.get(0).param("realm")).contains("a");
        assertThat(c.get(2).token()).contains("abc==");
        assertThat(c.get(3).params()).containsEntry("realm", "b").containsEntry("nonce", "n");
    }

    @Test
    void malformedHeadersAreRejectedWithAReason() {
        assertThatThrownBy(() -> ChallengeParser.parse("realm=\"x\""))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("auth-param before any scheme");
        assertThatThrownBy(() -> ChallengeParser.parse("Basic realm=\"unterminated"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ChallengeParser.parse("Basic @"))
                .isInstanceOf(AuthenticationException.class).hasMessageContaining("unexpected '@'");
    }
}
