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
 * keytab, else from the user's ticket cache ({@code KRB5CCNAME}, else the default) as MIT's
 * tools find it, so a plain {@code kinit} is all a user needs, else from the password. The login is
 * redone when its TGT is gone or has less than five minutes left, which also picks up a ticket
 * that a {@code kinit} put in the cache after Gangway started.
 */
final class KerberosLogin {

    private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);
    private static final Map<String, KerberosLogin> LOGINS = new ConcurrentHashMap<>();

    /** A KDC counts a failed password login against the account: wait this long before another. */
    private static final Duration PASSWORD_RETRY = Duration.ofSeconds(60);

    private final Credentials credentials;
    private final String ticketCache;
    private Subject subject;
    private Instant passwordRetryAt = Instant.MIN;
    private AuthenticationException passwordFailure;

    private KerberosLogin(Credentials credentials, String ticketCache) {
        this.credentials = credentials;
        this.ticketCache = ticketCache;
    }

    /**
     * The login for these credentials (one per account and secret).
     *
     * @param ticketCache the ticket cache file, or null for the JDK's default
     */
    static KerberosLogin of(Credentials credentials, String ticketCache) {
        String key = String.join("#", credentials.identity(), credentials.secretFingerprint(),
                String.valueOf(credentials.principal()), String.valueOf(credentials.keytab()), String.valueOf(ticketCache));
        return LOGINS.computeIfAbsent(key, k -> new KerberosLogin(credentials, ticketCache));
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

    /**
     * Logs in from the keytab when one is given; else from the ticket cache (what {@code kinit}
     * left), and from the password when the cache has no ticket and a password is configured.
     */
    private Subject login() throws AuthenticationException {
        if (credentials.keytab() != null) {
            return login(Mode.KEYTAB);
        }
        try {
            return login(Mode.TICKET_CACHE);
        } catch (AuthenticationException noTicket) {
            if (!credentials.hasPassword()) {
                throw noTicket;
            }
            if (Instant.now().isBefore(passwordRetryAt)) {
                throw passwordFailure;
            }
            try {
                return login(Mode.PASSWORD);
            } catch (AuthenticationException e) {
                if (e.reason() != Reason.REJECTED) {
                    throw e; // no failed login was counted (the KDC could not be reached): the next request tries again
                }
                passwordRetryAt = Instant.now().plus(PASSWORD_RETRY);
                passwordFailure = new AuthenticationException(e.reason(), e.getMessage()
                        + "; to keep the account from being locked out, the password is not tried again before "
                        + passwordRetryAt.atZone(java.time.ZoneId.systemDefault()).toLocalTime().withNano(0), e);
                throw passwordFailure;
            }
        }
    }

    private enum Mode { KEYTAB, TICKET_CACHE, PASSWORD }

    private Subject login(Mode mode) throws AuthenticationException {
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
            }, configuration(mode));
            context.login();
        } catch (LoginException e) {
            if (mode == Mode.PASSWORD && wrongPassword(e)) {
                // The KDC counted a failed login: the password must not be tried again, by this
                // scheme or another, until the lockout back-off allows.
                throw new AuthenticationException(Reason.REJECTED, "the KDC rejected the password of "
                        + credentials.principal() + ": " + e.getMessage(), e);
            }
            if (mode != Mode.TICKET_CACHE && kdcUnreachable(e)) {
                throw new AuthenticationException(Reason.UNAVAILABLE, "no Kerberos ticket for " + describe(mode)
                        + ": the KDC of its realm could not be reached (" + e.getMessage() + "); check the realm's kdc in "
                        + "krb5.conf and that the KDC is up", e);
            }
            throw new AuthenticationException(Reason.UNAVAILABLE, "no Kerberos ticket for " + describe(mode) + ": "
                    + e.getMessage() + hint(), e);
        }
        if (tgtEnd(fresh).isEmpty()) {
            throw new AuthenticationException(Reason.UNAVAILABLE, "no valid Kerberos ticket for " + describe(mode) + hint());
        }
        return fresh;
    }

    /** Pre-authentication failed (24) or the reply could not be decrypted (31): the password is wrong. */
    private static boolean wrongPassword(LoginException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("(24)") || m.contains("(31)") || m.contains("PREAUTH_FAILED")
                    || m.contains("Pre-authentication information was invalid")) {
                return true;
            }
        }
        return false;
    }

    /** No KDC answered: each refused the connection or was silent ("Cannot locate KDC", "Cannot get a KDC reply"). */
    private static boolean kdcUnreachable(LoginException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.SocketTimeoutException
                    || String.valueOf(t.getMessage()).contains("Cannot locate KDC")
                    || String.valueOf(t.getMessage()).contains("Cannot get a KDC reply")) {
                return true;
            }
        }
        return false;
    }

    private String describe(Mode mode) {
        String who = credentials.principal() != null ? credentials.principal() : "the ticket cache's user";
        return switch (mode) {
            case KEYTAB -> who + " (keytab " + credentials.keytab() + ")";
            case PASSWORD -> who + " (password)";
            case TICKET_CACHE -> who + " (ticket cache " + ticketCache().orElse("default") + ")";
        };
    }

    private String hint() {
        return credentials.keytab() == null ? "; run kinit, or give --keytab with --principal, or a password" : "";
    }

    private Configuration configuration(Mode mode) {
        Map<String, String> options = new HashMap<>();
        options.put("refreshKrb5Config", "true");
        options.put("isInitiator", "true");
        if (credentials.principal() != null) {
            options.put("principal", credentials.principal());
        }
        if (mode == Mode.KEYTAB) {
            options.put("useKeyTab", "true");
            options.put("keyTab", credentials.keytab());
            options.put("doNotPrompt", "true");
        } else if (mode == Mode.PASSWORD) {
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

    /**
     * The file of a {@code KRB5CCNAME} value as MIT reads it: {@code FILE:/path} or a plain path.
     * Other cache types (KEYRING:, KCM:, API:) cannot be read by the JDK: empty.
     */
    static Optional<String> ticketCacheFile(String krb5ccname) {
        if (krb5ccname == null || krb5ccname.isBlank()) {
            return Optional.empty();
        }
        if (krb5ccname.startsWith("FILE:")) {
            return Optional.of(krb5ccname.substring(5));
        }
        return krb5ccname.contains(":") && !krb5ccname.startsWith("/") ? Optional.empty() : Optional.of(krb5ccname);
    }

    private Optional<String> ticketCache() {
        return Optional.ofNullable(ticketCache);
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
