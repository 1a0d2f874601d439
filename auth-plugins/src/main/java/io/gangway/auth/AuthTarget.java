package io.gangway.auth;

/** The upstream proxy being authenticated to (Kerberos derives its service name from it). */
public record AuthTarget(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
