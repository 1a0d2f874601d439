package io.gangway.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Who one profile logs in to upstreams as, and how.
 *
 * @param user                 the user for upstreams whose URL names none, or null
 * @param password             the password (from the file, the environment, the keyring or the terminal), or null
 * @param ntHash               the NT hash of that password, or null
 * @param auth                 the schemes allowed, lower case, in order of preference
 * @param passwordFile         the file the password came from (watched for changes), or null
 * @param ntHashFile           the file the NT hash came from, or null
 */
public record AccountSettings(String user, String domain, char[] password, byte[] ntHash, List<String> auth,
                              String principal, Path keytab, boolean kerberosCanonicalize, Path passwordFile,
                              Path ntHashFile) {

    @Override
    public String toString() {
        return "[user=" + user + ", domain=" + domain + ", password=" + (password == null ? "none" : "***")
                + ", ntHash=" + (ntHash == null ? "none" : "***") + ", auth=" + auth + "]";
    }
}
