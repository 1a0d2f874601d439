package io.gangway.auth;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An account for upstream proxies: a login ({@code user}, {@code DOMAIN\\user} or
 * {@code user@domain}), an optional separate domain, and a password or an NT hash (either may be
 * absent: Kerberos can use a ticket cache). Secrets never leave through {@link #toString()};
 * {@link #identity()} names the account without them, for pools and logs.
 */
public final class Credentials {

    private final String login;
    private final String domain;
    private final char[] password;
    private final byte[] ntHash;
    private final String fingerprint;
    private String principal;
    private String keytab;

    public Credentials(String login, char[] password) {
        this(login, null, password, null);
    }

    /**
     * @param login    as configured
     * @param domain   a domain given separately (--domain), or null
     * @param password the password, or null
     * @param ntHash   the 16-byte NT hash, or null
     */
    public Credentials(String login, String domain, char[] password, byte[] ntHash) {
        this.login = Objects.requireNonNull(login, "login");
        this.domain = domain == null || domain.isBlank() ? null : domain.trim();
        // An empty password is no password: sending one is a failed login like any other.
        this.password = password == null || password.length == 0 ? null : password.clone();
        this.ntHash = ntHash == null ? null : ntHash.clone();
        if (ntHash != null && ntHash.length != 16) {
            throw new IllegalArgumentException("an NT hash has 16 bytes (32 hex digits)");
        }
        this.fingerprint = fingerprint();
    }

    /**
     * The same account for Kerberos: an explicit principal and a keytab to log in with (either
     * may be null; with neither, a password or the ticket cache is used).
     */
    public Credentials withKerberos(String kerberosPrincipal, String keytabPath) {
        Credentials c = new Credentials(login, domain, password, ntHash);
        c.principal = kerberosPrincipal;
        c.keytab = keytabPath;
        return c;
    }

    /**
     * The Kerberos principal: explicit; else {@code user@REALM} when the login's domain is a DNS
     * name (an AD realm is its upper-cased DNS domain); else the bare user, which the default
     * realm completes (a NetBIOS name such as {@code CORP} is not a realm); null for no user.
     */
    public String principal() {
        if (principal != null) {
            return principal;
        }
        if (userName().isEmpty()) {
            return null;
        }
        String realm = domain();
        return realm.contains(".") ? userName() + "@" + realm.toUpperCase(java.util.Locale.ROOT) : userName();
    }

    /** The keytab file, or null. */
    public String keytab() {
        return keytab;
    }

    /** The login as configured, e.g. for Basic. */
    public String user() {
        return login;
    }

    /** The account name without any domain part: {@code alice} for {@code CORP\\alice}. */
    public String userName() {
        int slash = login.indexOf('\\');
        if (slash >= 0) {
            return login.substring(slash + 1);
        }
        int at = login.lastIndexOf('@');
        return domain == null && at > 0 ? login.substring(0, at) : login;
    }

    /** The domain: given separately, or from {@code DOMAIN\\user} or {@code user@domain}; "" if none. */
    public String domain() {
        if (domain != null) {
            return domain;
        }
        int slash = login.indexOf('\\');
        if (slash >= 0) {
            return login.substring(0, slash);
        }
        int at = login.lastIndexOf('@');
        return at > 0 ? login.substring(at + 1) : "";
    }

    /** A copy of the password (callers clear it when done), or empty. */
    public Optional<char[]> password() {
        return password == null ? Optional.empty() : Optional.of(password.clone());
    }

    /** A copy of the NT hash, or empty. */
    public Optional<byte[]> ntHash() {
        return ntHash == null ? Optional.empty() : Optional.of(ntHash.clone());
    }

    public boolean hasPassword() {
        return password != null && password.length > 0;
    }

    /** A name for this account that is safe to log and to key connection pools by. */
    public String identity() {
        if (login.isEmpty()) {
            return principal != null ? principal : "(ticket cache)";
        }
        return domain == null || login.contains("\\") || login.contains("@") ? login : domain + "\\" + login;
    }

    /**
     * A short digest of the secret, so that a changed password can be told from the old one
     * without keeping either around in another form. Not a password hash for storage.
     */
    public String secretFingerprint() {
        return fingerprint;
    }

    private String fingerprint() {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            if (password != null) {
                sha.update(new String(password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            sha.update((byte) 0);
            if (ntHash != null) {
                sha.update(ntHash);
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.login.equals(login) && Objects.equals(c.domain, domain)
                && Arrays.equals(c.password, password) && Arrays.equals(c.ntHash, ntHash);
    }

    @Override
    public int hashCode() {
        return login.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + identity() + ", secret=***]";
    }
}
