package io.gangway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gangway.auth.AuthenticationException.Reason;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of what an upstream's {@code Proxy-Authenticate} header can make
 * Gangway do. The input is the bytes of one header value, which a 407 brings through Netty's
 * response decoder as the connector reads it. Every input ends in challenges that hold only what RFC 9110 section 11 allows, or
 * an {@link AuthenticationException} that says the challenge is malformed or cannot be answered;
 * a Digest answer is a valid field value that reads back with the challenge's own values.
 * Seeds: {@code ChallengeFuzzTestInputs/} (challenges sent by Squid, IIS, Apache, RFC 7616's
 * examples, and malformed ones).
 */
class ChallengeFuzzTest {

    private static final AuthRequest REQUEST = new AuthRequest("CONNECT", "registry.example:443");
    private static final byte[] HEAD = "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: "
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void proxyAuthenticate(byte[] input) {
        List<Challenge> challenges = parsed(input);
        for (Challenge c : challenges) {
            assertThat(c.scheme()).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
            if (c.token68() != null) {
                assertThat(c.token68()).matches("[-._~+/0-9A-Za-z]+=*");
            }
            assertThat(c.params().keySet()).allSatisfy(name -> assertThat(name).matches("[!#$%&'*+.^_`|~0-9a-z-]+"));
        }
    }

    @FuzzTest
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void digest(byte[] input) {
        for (Challenge offered : parsed(input)) {
            if (!offered.isScheme("Digest")) {
                continue;
            }
            AuthSession session = new DigestScheme().newSession(new Credentials("alice", "secret".toCharArray()),
                    new AuthTarget("proxy.test", 3128));
            String answer;
            try {
                answer = session.respond(offered, REQUEST);
            } catch (AuthenticationException e) {
                assertThat(e.reason()).isIn(Reason.MALFORMED_CHALLENGE, Reason.UNAVAILABLE);
                continue;
            }
            assertThat(answer).startsWith("Digest ");
            new DefaultHttpHeaders().set(HttpHeaderNames.PROXY_AUTHORIZATION, answer); // a valid field value, or this throws
            Challenge echoed = single(answer);
            assertThat(echoed.param("nonce")).isEqualTo(offered.param("nonce"));
            assertThat(echoed.param("opaque")).isEqualTo(offered.param("opaque"));
            assertThat(echoed.param("realm")).contains(offered.param("realm").orElse(""));
            assertThat(echoed.param("uri")).contains(REQUEST.uri());
        }
    }

    /**
     * The challenges of a header value as the upstream's 407 brings it: through Netty's response
     * decoder, as the connector reads it (it refuses control characters, and CR LF in the input
     * start another field), then the parser; none when either refuses it (the declared errors).
     */
    private static List<Challenge> parsed(byte[] input) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpResponseDecoder());
        decoder.writeInbound(Unpooled.wrappedBuffer(HEAD, input, END));
        HttpResponse response = decoder.readInbound();
        decoder.finishAndReleaseAll();
        if (response == null || response.decoderResult().isFailure()) {
            return List.of();
        }
        try {
            return ChallengeParser.parseAll(response.headers().getAll(HttpHeaderNames.PROXY_AUTHENTICATE));
        } catch (AuthenticationException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CHALLENGE);
            assertThat(e.getMessage()).startsWith("malformed Proxy-Authenticate header: ");
            return List.of();
        }
    }

    /** A credentials value read back as the upstream's parser would (its syntax is a challenge's). */
    private static Challenge single(String authorization) {
        try {
            List<Challenge> read = ChallengeParser.parse(authorization);
            assertThat(read).hasSize(1);
            return read.get(0);
        } catch (AuthenticationException e) {
            throw new AssertionError("the Digest answer does not parse: " + authorization, e);
        }
    }
}
