package io.gangway.auth;

import io.gangway.auth.AuthenticationException.Reason;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.Optional;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Negotiate (SPNEGO, RFC 4559) with Kerberos, through the JDK's JGSS: a service ticket for
 * {@code HTTP@<proxy host>} from the account's TGT ({@link KerberosLogin}), one security context
 * per connection (tokens cannot be replayed). Asking the KDC blocks, so this scheme says
 * {@link #mayBlock()} and the core runs it off its I/O threads.
 */
public final class NegotiateScheme implements AuthScheme {

    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");

    /** The ticket cache file that {@code KRB5CCNAME} names, or null for the JDK's default. */
    private volatile String ticketCache;

    /**
     * Makes the JDK read the Kerberos configuration that MIT's tools read ({@code KRB5_CONFIG}
     * when set and no {@code java.security.krb5.conf} was given), and the ticket cache they use
     * ({@code KRB5CCNAME}).
     */
    @Override
    public void useEnvironment(java.util.Map<String, String> env) {
        String config = env.get("KRB5_CONFIG");
        if (config != null && !config.isBlank() && System.getProperty("java.security.krb5.conf") == null) {
            // MIT allows a colon-separated list; the JDK takes one file: the first.
            System.setProperty("java.security.krb5.conf", config.split(":")[0]);
        }
        ticketCache = KerberosLogin.ticketCacheFile(env.get("KRB5CCNAME")).orElse(null);
    }

    @Override
    public String name() {
        return "Negotiate";
    }

    @Override
    public int strength() {
        return 40;
    }

    @Override
    public boolean connectionBound() {
        return true;
    }

    /** A refused ticket (wrong SPN, clock skew) tried no password: another offered scheme may do. */
    @Override
    public boolean fallsBackWhenRejected() {
        return true;
    }

    @Override
    public boolean mayBlock() {
        return true;
    }

    @Override
    public boolean needsUser() {
        return false;
    }

    @Override
    public AuthSession newSession(Credentials credentials, AuthTarget target) {
        return new Session(credentials, target, ticketCache);
    }

    /**
     * The service name for a proxy: {@code HTTP@host}, which JGSS turns into HTTP/host@REALM;
     * with canonicalisation, the host's canonical name (a DNS lookup: this runs off the I/O threads).
     */
    static String serviceName(AuthTarget target) {
        if (target.canonicalizeHost()) {
            try {
                return "HTTP@" + java.net.InetAddress.getByName(target.host()).getCanonicalHostName().toLowerCase(java.util.Locale.ROOT);
            } catch (java.net.UnknownHostException e) {
                // fall back to the name as configured
            }
        }
        return "HTTP@" + target.host();
    }

    private static final class Session implements AuthSession {
        private final Credentials credentials;
        private final AuthTarget target;
        private final String ticketCache;
        private GSSContext context;

        @Override
        public boolean lastTokenProvesPassword() {
            return false; // a ticket: the KDC saw the password, if any, when the ticket was had
        }

        Session(Credentials credentials, AuthTarget target, String ticketCache) {
            this.credentials = credentials;
            this.target = target;
            this.ticketCache = ticketCache;
        }

        @Override
        public Optional<String> initialToken(AuthRequest request) throws AuthenticationException {
            KerberosLogin login = KerberosLogin.of(credentials, ticketCache);
            Subject subject = login.subject();
            try {
                context = doAs(subject, () -> {
                    GSSManager manager = GSSManager.getInstance();
                    GSSName service = manager.createName(serviceName(target), GSSName.NT_HOSTBASED_SERVICE);
                    GSSContext c = manager.createContext(service, SPNEGO, null, GSSContext.DEFAULT_LIFETIME);
                    c.requestMutualAuth(false);
                    c.requestCredDeleg(false);
                    return c;
                });
                return Optional.of(token(subject, new byte[0]));
            } catch (GSSException e) {
                login.invalidate();
                throw new AuthenticationException(Reason.UNAVAILABLE, "no Kerberos service ticket for "
                        + serviceName(target) + " (user " + credentials.identity() + "): " + e.getMessage(), e);
            }
        }

        @Override
        public String respond(Challenge challenge, AuthRequest request) throws AuthenticationException {
            if (context == null) {
                return initialToken(request).orElseThrow();
            }
            Optional<String> input = challenge.token();
            if (input.isEmpty() || context.isEstablished()) {
                throw new AuthenticationException(Reason.REJECTED, "upstream " + target
                        + " rejected the Kerberos ticket for " + serviceName(target) + " of user " + credentials.identity());
            }
            try {
                return token(KerberosLogin.of(credentials, ticketCache).subject(), Base64.getDecoder().decode(input.get()));
            } catch (IllegalArgumentException e) {
                throw new AuthenticationException(Reason.MALFORMED_CHALLENGE, "upstream " + target
                        + " sent a Negotiate token that is not base64");
            } catch (GSSException e) {
                throw new AuthenticationException(Reason.MALFORMED_CHALLENGE, "upstream " + target
                        + " sent a Negotiate token that does not verify: " + e.getMessage(), e);
            }
        }

        private String token(Subject subject, byte[] input) throws GSSException {
            byte[] out = doAs(subject, () -> context.initSecContext(input, 0, input.length));
            return "Negotiate " + Base64.getEncoder().encodeToString(out == null ? new byte[0] : out);
        }
    }

    private static <T> T doAs(Subject subject, PrivilegedExceptionAction<T> action) throws GSSException {
        try {
            @SuppressWarnings("removal")
            T result = Subject.doAs(subject, action);
            return result;
        } catch (PrivilegedActionException e) {
            if (e.getException() instanceof GSSException gss) {
                throw gss;
            }
            throw new GSSException(GSSException.FAILURE, -1, e.getException().toString());
        }
    }

    private static Oid oid(String value) {
        try {
            return new Oid(value);
        } catch (GSSException e) {
            throw new IllegalStateException(e);
        }
    }
}
