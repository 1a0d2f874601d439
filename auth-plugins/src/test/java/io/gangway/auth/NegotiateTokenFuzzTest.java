package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gangway.auth.AuthenticationException.Reason;
import io.gangway.harness.TestKdc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the SPNEGO token an upstream answers Gangway's first Negotiate token
 * with (RFC 4559: {@code Proxy-Authenticate: Negotiate <token>}); the input is the decoded token.
 * A real initial token is made for each input, from a login to an embedded KDC, so JGSS reads the
 * input as the second leg of a real context. Every input ends in a next token or an
 * {@link AuthenticationException}: the token is malformed or does not verify, or the upstream
 * said no. Seeds: {@code NegotiateTokenFuzzTestInputs/serverToken/}: the acceptor's answers of a
 * real JGSS handshake (accept-completed with and without a mechListMIC), a reject, an
 * accept-incomplete, a KRB-ERROR, and truncated DER.
 */
class NegotiateTokenFuzzTest {

    private static final AuthRequest REQUEST = new AuthRequest("CONNECT", "origin.example:443");
    private static TestKdc kdc;
    private static final NegotiateScheme SCHEME = new NegotiateScheme();

    @BeforeAll
    static void realm() throws Exception {
        Path dir = Files.createTempDirectory("gangway-spnego-fuzz");
        kdc = new TestKdc(dir, 3600);
        kdc.createUser("alice", "Fuzz-Secret-2026");
        kdc.serviceKeytab("HTTP/proxy.test");
        // no ticket cache: the login is made from the password
        SCHEME.useEnvironment(Map.of("KRB5CCNAME", "FILE:" + dir.resolve("no-cache")));
    }

    @AfterAll
    static void stop() throws Exception {
        kdc.close();
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void serverToken(byte[] token) throws Exception {
        AuthSession session = SCHEME.newSession(new Credentials("alice", "Fuzz-Secret-2026".toCharArray()),
                new AuthTarget("proxy.test", 3128));
        // the login and the service ticket come from the KDC on loopback; the answer to the
        // upstream's token must reach nothing (Jazzer's network bug detector watches)
        try (SilentCloseable kdcOnly = BugDetectors.allowNetworkConnections(
                (host, port) -> host.equals("localhost") || host.startsWith("127."))) {
            assertThat(session.initialToken(REQUEST)).hasValueSatisfying(t -> assertThat(t).startsWith("Negotiate "));
        }
        String next;
        try {
            next = session.respond(new Challenge("Negotiate", Base64.getEncoder().encodeToString(token), Map.of()), REQUEST);
        } catch (AuthenticationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_CHALLENGE, Reason.REJECTED);
            assertThat(e.getMessage()).startsWith("upstream proxy.test:3128").doesNotContain("Fuzz-Secret-2026");
            return;
        }
        assertThat(next).startsWith("Negotiate ");
        Base64.getDecoder().decode(next.substring(10));
    }
}
