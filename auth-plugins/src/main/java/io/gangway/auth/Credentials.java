package io.gangway.auth;

import java.util.Arrays;
import java.util.Objects;

/**
 * A user name and password for upstream proxies. The password never leaves this object through
 * {@link #toString()}; {@link #identity()} names the account without the secret, which is what
 * pools and logs may use.
 */
public final class Credentials {

    private final String user;
    private final char[] password;

    public Credentials(String user, char[] password) {
        this.user = Objects.requireNonNull(user, "user");
        this.password = password == null ? new char[0] : password.clone();
    }

    /** The login as configured: {@code user}, {@code DOMAIN\\user} or {@code user@domain}. */
    public String user() {
        return user;
    }

    /** A copy of the password; callers should clear it when done. */
    public char[] password() {
        return password.clone();
    }

    public boolean hasPassword() {
        return password.length > 0;
    }

    /** A name for this account that is safe to log and to key connection pools by. */
    public String identity() {
        return user;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credentials c && c.user.equals(user) && Arrays.equals(c.password, password);
    }

    @Override
    public int hashCode() {
        return user.hashCode();
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
