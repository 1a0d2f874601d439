package io.gangway.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * RFC 7617 Basic: {@code base64(user ":" password)} in UTF-8, sent with every request. It can
 * go first (preemptively) once an upstream is known to want it; a challenge after the
 * credentials were sent means they were rejected.
 */
public final class BasicScheme implements AuthScheme {

    @Override
    public String name() {
        return "Basic";
    }

    @Override
    public int strength() {
        return 10;
    }

    @Override
    public boolean connectionBound() {
        return false;
    }

    @Override
    public AuthSession newSession(Credentials credentials, AuthTarget target) {
        return new Session(credentials, target);
    }

    /** The header value for these credentials; never one with an empty password (a failed login). */
    static String token(Credentials credentials) throws AuthenticationException {
        char[] password = credentials.password().orElseThrow(() -> new AuthenticationException(
                AuthenticationException.Reason.UNAVAILABLE, "Basic for user '" + credentials.identity()
                + "' needs a password (GANGWAY_PASSWORD, --password-file); an empty one is never sent"));
        CharBuffer chars = CharBuffer.allocate(credentials.user().length() + 1 + password.length);
        chars.put(credentials.user()).put(':').put(password).flip();
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(chars);
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        String token = "Basic " + Base64.getEncoder().encodeToString(raw);
        Arrays.fill(password, '\0');
        Arrays.fill(chars.array(), '\0');
        Arrays.fill(raw, (byte) 0);
        return token;
    }

    private static final class Session implements AuthSession {
        private final Credentials credentials;
        private final AuthTarget target;
        private boolean sent;

        Session(Credentials credentials, AuthTarget target) {
            this.credentials = credentials;
            this.target = target;
        }

        @Override
        public Optional<String> initialToken(AuthRequest request) throws AuthenticationException {
            String token = token(credentials);
            sent = true;
            return Optional.of(token);
        }

        @Override
        public String respond(Challenge challenge, AuthRequest request) throws AuthenticationException {
            if (sent) {
                throw new AuthenticationException(AuthenticationException.Reason.REJECTED,
                        "upstream " + target + " rejected Basic credentials for user '" + credentials.identity() + "'");
            }
            String token = token(credentials);
            sent = true;
            return token;
        }
    }
}
