package io.gangway.auth;

import io.gangway.auth.AuthenticationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 7616 Digest: MD5, SHA-256 and SHA-512-256, each also as "-sess"; qop=auth (or none, as RFC
 * 2069 servers want); nonce counting, so that after the first challenge every request is signed
 * preemptively with the same nonce and the next count; {@code stale=true} answered with the new
 * nonce instead of being taken as a rejection.
 */
public final class DigestScheme implements AuthScheme {

    @Override
    public String name() {
        return "Digest";
    }

    @Override
    public int strength() {
        return 20;
    }

    @Override
    public boolean connectionBound() {
        return false;
    }

    @Override
    public AuthSession newSession(Credentials credentials, AuthTarget target) {
        return new Session(credentials, target);
    }

    /** One account's Digest state with one upstream; shared by requests, so synchronized. */
    private static final class Session implements AuthSession {
        private static final SecureRandom RANDOM = new SecureRandom();
        private final Credentials credentials;
        private final AuthTarget target;
        private Challenge challenge;
        private String algorithm;
        private boolean sess;
        private boolean qopAuth;
        private int nonceCount;
        private String cnonce;
        private boolean sentForThisNonce;

        Session(Credentials credentials, AuthTarget target) {
            this.credentials = credentials;
            this.target = target;
        }

        @Override
        public synchronized Optional<String> initialToken(AuthRequest request) throws AuthenticationException {
            return challenge == null ? Optional.empty() : Optional.of(sign(request));
        }

        @Override
        public synchronized String respond(Challenge offered, AuthRequest request) throws AuthenticationException {
            boolean stale = offered.param("stale").map(v -> v.equalsIgnoreCase("true")).orElse(false);
            if (sentForThisNonce && !stale) {
                throw new AuthenticationException(Reason.REJECTED, "upstream " + target
                        + " rejected Digest credentials for user '" + credentials.identity() + "'");
            }
            accept(offered);
            return sign(request);
        }

        private void accept(Challenge offered) throws AuthenticationException {
            if (offered.param("nonce").isEmpty()) {
                throw new AuthenticationException(Reason.MALFORMED_CHALLENGE, "upstream " + target
                        + " sent a Digest challenge without a nonce");
            }
            String alg = offered.param("algorithm").orElse("MD5").toUpperCase(Locale.ROOT);
            sess = alg.endsWith("-SESS");
            algorithm = sess ? alg.substring(0, alg.length() - 5) : alg;
            if (!algorithm.equals("MD5") && !algorithm.equals("SHA-256") && !algorithm.equals("SHA-512-256")) {
                throw new AuthenticationException(Reason.UNAVAILABLE, "upstream " + target
                        + " wants Digest algorithm " + alg + ", which Gangway does not support");
            }
            String qop = offered.param("qop").orElse(null);
            qopAuth = qop != null && java.util.Arrays.stream(qop.split(",")).anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
            if (qop != null && !qopAuth) {
                throw new AuthenticationException(Reason.UNAVAILABLE, "upstream " + target
                        + " offers Digest qop=" + qop + " only; Gangway supports qop=auth");
            }
            challenge = offered;
            nonceCount = 0;
            byte[] c = new byte[16];
            RANDOM.nextBytes(c);
            cnonce = HexFormat.of().formatHex(c);
            sentForThisNonce = false;
        }

        private String sign(AuthRequest request) throws AuthenticationException {
            String realm = challenge.param("realm").orElse("");
            String nonce = challenge.param("nonce").orElseThrow();
            char[] password = credentials.password().orElseThrow(() -> new AuthenticationException(Reason.UNAVAILABLE,
                    "Digest for user '" + credentials.identity() + "' needs a password (GANGWAY_PASSWORD, --password-file)"));
            String user = credentials.user();
            String nc = String.format("%08x", ++nonceCount);
            String ha1 = hash(user + ":" + realm + ":" + new String(password));
            java.util.Arrays.fill(password, '\0');
            if (sess) {
                ha1 = hash(ha1 + ":" + nonce + ":" + cnonce);
            }
            String ha2 = hash(request.method() + ":" + request.uri());
            String response = qopAuth
                    ? hash(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2)
                    : hash(ha1 + ":" + nonce + ":" + ha2);
            StringBuilder header = new StringBuilder("Digest ")
                    .append("username=").append(quote(user))
                    .append(", realm=").append(quote(realm))
                    .append(", nonce=").append(quote(nonce))
                    .append(", uri=").append(quote(request.uri()))
                    .append(", algorithm=").append(algorithm).append(sess ? "-sess" : "")
                    .append(", response=").append(quote(response));
            if (qopAuth) {
                header.append(", qop=auth, nc=").append(nc).append(", cnonce=").append(quote(cnonce));
            }
            challenge.param("opaque").ifPresent(o -> header.append(", opaque=").append(quote(o)));
            sentForThisNonce = true;
            return header.toString();
        }

        private String hash(String s) {
            try {
                String name = algorithm.equals("SHA-512-256") ? "SHA-512/256" : algorithm;
                return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(s.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}
