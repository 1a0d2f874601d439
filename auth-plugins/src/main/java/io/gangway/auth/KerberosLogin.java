package io.gangway.auth;

import io.gangway.auth.AuthenticationException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * A Kerberos login (JAAS {@code Krb5LoginModule}) for one account, kept and renewed: from a
 * keytab, from a password, or from the user's ticket cache ({@code KRB5CCNAME}, else the
 * default), as MIT's tools find it, so a plain {@code kinit} is all a user needs. The login is
 * redone when its TGT is gone or has less than five minutes left, which also picks up a ticket
 * that a {@code kinit} put in the cache after Gangway started.
 */
final class KerberosLogin {

    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Map<String, KerberosLogin> LOGINS = new ConcurrentHashMap<>();

    private final Credentials credentials;
    private Subject subject;

    private KerberosLogin(Credentials credentials) {
        this.credentials = credentials;
    }

    /** The login for these credentials (one per account and secret). */
    static KerberosLogin of(Credentials credentials) {
        String key = credentials.identity() + "#" + credentials.secretFingerprint() + "#" + credentials.keytab();
        return LOGINS.computeIfAbsent(key, k -> new KerberosLogin(credentials));
    }

    /** A subject with a TGT that is good for a while yet; logs in (again) when needed. */
    synchronized Subject subject() throws AuthenticationException {
        if (subject == null || tgtEnd(subject).map(end -> Instant.now().plus(RENEW_BEFORE).isAfter(end)).orElse(true)) {
            subject = login();
        }
        return subject;
    }

    /** Forgets the login, after the KDC or the proxy refused what it gave. */
    synchronized void invalidate() {
        subject = null;
    }

    private Subject login() throws AuthenticationException {
        Subject fresh = new Subject();
        try {
            LoginContext context = new LoginContext("gangway", fresh, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(credentials.principal());
                    } else if (callback instanceof PasswordCallback password) {
                        password.setPassword(credentials.password().orElse(new char[0]));
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            }, configuration());
            context.login();
        } catch (LoginException e) {
            throw new AuthenticationException(Reason.UNAVAILABLE, "no Kerberos ticket for " + describe() + ": "
                    + e.getMessage() + hint(), e);
        }
        if (tgtEnd(fresh).isEmpty()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, "no valid Kerberos ticket for " + describe() + hint());
        }
        return fresh;
    }

    private String describe() {
        String who = credentials.principal() != null ? credentials.principal() : "the ticket cache's user";
        if (credentials.keytab() != null) {
            return who + " (keytab " + credentials.keytab() + ")";
        }
        return credentials.hasPassword() ? who + " (password)" : who + " (ticket cache " + ticketCache().orElse("default") + ")";
    }

    private String hint() {
        return credentials.keytab() == null && !credentials.hasPassword()
                ? "; run kinit, or give --keytab with --principal, or a password" : "";
    }

    private Configuration configuration() {
        Map<String, String> options = new HashMap<>();
        options.put("refreshKrb5Config", "true");
        options.put("isInitiator", "true");
        if (credentials.principal() != null) {
            options.put("principal", credentials.principal());
        }
        if (credentials.keytab() != null) {
            options.put("useKeyTab", "true");
            options.put("keyTab", credentials.keytab());
            options.put("doNotPrompt", "true");
        } else if (credentials.hasPassword()) {
            options.put("useTicketCache", "false");
        } else {
            options.put("useTicketCache", "true");
            options.put("renewTGT", "true");
            options.put("doNotPrompt", "true");
            ticketCache().ifPresent(cache -> options.put("ticketCache", cache));
        }
        AppConfigurationEntry entry = new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options);
        return new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {entry};
            }
        };
    }

    /** KRB5CCNAME as MIT reads it: {@code FILE:/path} or a plain path; other cache types are not readable here. */
    static Optional<String> ticketCache() {
        String name = System.getenv("KRB5CCNAME");
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        if (name.startsWith("FILE:")) {
            return Optional.of(name.substring(5));
        }
        return name.contains(":") && !name.startsWith("/") ? Optional.empty() : Optional.of(name);
    }

    private static Optional<Instant> tgtEnd(Subject subject) {
        for (KerberosTicket ticket : subject.getPrivateCredentials(KerberosTicket.class)) {
            if (ticket.getServer().getName().startsWith("krbtgt/") && ticket.isCurrent()) {
                return Optional.of(ticket.getEndTime().toInstant());
            }
        }
        return Optional.empty();
    }
}
