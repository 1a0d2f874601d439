package io.gangway.harness;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

/**
 * The proxy side of Negotiate for tests: a JGSS acceptor that logs in with the service's keytab
 * and accepts one SPNEGO context per connection. Remembers who authenticated.
 */
public final class NegotiateChallenger implements Challenger {

    private final Subject service;
    private final GSSCredential credential;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final List<String> clients = new CopyOnWriteArrayList<>();

    /** @param principal e.g. {@code HTTP/localhost@GANGWAY.TEST} */
    public NegotiateChallenger(String principal, Path keytab) throws Exception {
        service = new Subject();
        Map<String, String> options = Map.of("useKeyTab", "true", "keyTab", keytab.toString(), "principal", principal,
                "storeKey", "true", "isInitiator", "false", "doNotPrompt", "true", "refreshKrb5Config", "true");
        AppConfigurationEntry entry = new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
        new LoginContext("acceptor", service, null, new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {entry};
            }
        }).login();
        credential = doAs(() -> GSSManager.getInstance().createCredential(null, GSSCredential.INDEFINITE_LIFETIME,
                new Oid("1.3.6.1.5.5.2"), GSSCredential.ACCEPT_ONLY));
    }

    public int accepted() {
        return accepted.get();
    }

    public int rejected() {
        return rejected.get();
    }

    /** Client principals that authenticated, in order. */
    public List<String> clients() {
        return clients;
    }

    @Override
    public Verdict check(HttpRequest request, ConnectionState connection) {
        if (connection.authenticated) {
            return new Pass();
        }
        String header = request.headers().get(HttpHeaderNames.PROXY_AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Negotiate ", 0, 10)) {
            return Challenge.of("Negotiate");
        }
        try {
            byte[] token = Base64.getDecoder().decode(header.substring(10).trim());
            GSSContext context = doAs(() -> GSSManager.getInstance().createContext(credential));
            byte[] out = doAs(() -> context.acceptSecContext(token, 0, token.length));
            if (context.isEstablished()) {
                accepted.incrementAndGet();
                clients.add(context.getSrcName().toString());
                connection.authenticated = true;
                return new Pass();
            }
            return Challenge.of("Negotiate " + Base64.getEncoder().encodeToString(out == null ? new byte[0] : out));
        } catch (Exception e) {
            rejected.incrementAndGet();
            return Challenge.of("Negotiate");
        }
    }

    private <T> T doAs(PrivilegedExceptionAction<T> action) throws Exception {
        try {
            @SuppressWarnings("removal")
            T result = Subject.doAs(service, action);
            return result;
        } catch (java.security.PrivilegedActionException e) {
            throw e.getException();
        }
    }
}
