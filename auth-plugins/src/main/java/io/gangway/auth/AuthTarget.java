package io.gangway.auth;

/**
 * The upstream proxy being authenticated to (Kerberos derives its service name from it).
 *
 * @param canonicalizeHost ask Kerberos for the ticket of the host's canonical DNS name (a reverse
 *                         lookup of its address, as some browsers do) instead of the name as
 *                         configured
 */
public record AuthTarget(String host, int port, boolean canonicalizeHost) {

    public AuthTarget(String host, int port) {
        this(host, port, false);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
