package io.gangway.core.config;

import io.gangway.core.secrets.KeyringException;
import io.gangway.routing.ProxyUrl;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where one profile's password or NT hash comes from: its own file or variable, else the
 * engine's; else the keyring or the terminal. A user left without a secret is refused, never
 * sent an empty password.
 */
final class AccountSecrets {

    private final Settings settings;
    private final Map<String, String> env;
    private final PasswordSources passwords;
    private final Profile profile;

    AccountSecrets(Settings settings, Map<String, String> env, PasswordSources passwords) {
        this.settings = settings;
        this.env = env;
        this.passwords = passwords;
        this.profile = settings.profile();
    }

    /**
     * The password: this profile's own password file, else its own variable
     * ({@code GANGWAY_CONTAINERS_PASSWORD}), else what the engine has (its file, then {@code GANGWAY_PASSWORD}).
     */
    char[] password() {
        String ownEnv = env.get(variable(ConfigLoader.PASSWORD_ENV));
        if (inherits(ConfigKey.PASSWORD_FILE) && ownEnv != null && !ownEnv.isEmpty()) {
            return ownEnv.toCharArray();
        }
        Path file = settings.get(ConfigKey.PASSWORD_FILE);
        if (file != null) {
            try {
                char[] read = SecretFiles.readPassword(file);
                if (!inherits(ConfigKey.PASSWORD_FILE)) { // once per file
                    SecretFiles.warnIfOthersCanRead(file, settings.name(ConfigKey.PASSWORD_FILE));
                }
                return read.length == 0 ? null : read;
            } catch (IOException e) {
                throw settings.error(ConfigKey.PASSWORD_FILE, "cannot read password file " + file + ": " + e.getMessage());
            }
        }
        String fromEnv = env.get(ConfigLoader.PASSWORD_ENV);
        return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv.toCharArray();
    }

    /** The NT hash, in the same order as the password. */
    byte[] ntHash() {
        Path file = settings.get(ConfigKey.NT_HASH_FILE);
        try {
            String ownHex = env.get(variable(ConfigLoader.NT_HASH_ENV));
            if (inherits(ConfigKey.NT_HASH_FILE) && ownHex != null) {
                return SecretFiles.parseNtHash(ownHex);
            }
            if (file != null) {
                if (!inherits(ConfigKey.NT_HASH_FILE)) {
                    SecretFiles.warnIfOthersCanRead(file, settings.name(ConfigKey.NT_HASH_FILE));
                }
                return SecretFiles.readNtHash(file);
            }
            String hex = env.get(ConfigLoader.NT_HASH_ENV);
            return hex == null ? null : SecretFiles.parseNtHash(hex);
        } catch (IOException e) {
            throw settings.error(ConfigKey.NT_HASH_FILE, "cannot read NT hash file " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ConfigException((file != null ? "NT hash file " + file : ConfigLoader.NT_HASH_ENV) + ": " + e.getMessage());
        }
    }

    /**
     * For an account that no file or variable gives a secret: the password from the keyring
     * ({@code --password-from keyring}), else from the person at the terminal. Null when no
     * account needs one; refused when one does and none is to be had.
     */
    char[] askFor(String user, List<ProxyUrl> upstreams) {
        String who = accountWithoutSecret(user, upstreams);
        if (who == null) {
            return null;
        }
        char[] password = "keyring".equals(settings.get(ConfigKey.PASSWORD_FROM)) ? fromKeyring(who)
                : passwords.prompt(who).orElse(null);
        if (password == null) {
            throw noSecret(who, user != null);
        }
        return password;
    }

    private char[] fromKeyring(String who) {
        try {
            return passwords.fromKeyring(who).orElseThrow(() -> settings.error(ConfigKey.PASSWORD_FROM, "no password for '"
                    + who + "' in the keyring: store it with 'gangway password set --user " + who + "'"));
        } catch (KeyringException e) {
            throw settings.error(ConfigKey.PASSWORD_FROM, e.getMessage());
        }
    }

    /** The user who would log in with a password that no file or variable gives: --user, else an upstream URL's. */
    private static String accountWithoutSecret(String user, List<ProxyUrl> upstreams) {
        if (user != null) {
            return user;
        }
        return upstreams.stream().filter(u -> u.user() != null && u.password() == null).map(ProxyUrl::user)
                .findFirst().orElse(null);
    }

    /** A user with no secret would have Gangway send an empty password: a real failed login against a domain account. */
    private ConfigException noSecret(String who, boolean named) {
        Path file = settings.get(ConfigKey.PASSWORD_FILE);
        return settings.error(named ? ConfigKey.USER : ConfigKey.UPSTREAM, "user '" + who + "' has no password"
                + (file != null ? " (the password file " + file + " is empty)" : "")
                + ": give it in " + variable(ConfigLoader.PASSWORD_ENV) + ", in a file named by "
                + settings.flag(ConfigKey.PASSWORD_FILE) + ", from the OS keyring (" + settings.flag(ConfigKey.PASSWORD_FROM)
                + " keyring, after 'gangway password set --user " + who + "'), or as its NT hash ("
                + settings.flag(ConfigKey.NT_HASH_FILE) + " or " + variable(ConfigLoader.NT_HASH_ENV)
                + ", from 'gangway hash'); or start Gangway in a terminal to be asked for it. "
                + "Gangway never sends an empty password. For Kerberos from the ticket cache, give no user");
    }

    /** Whether this profile takes {@code key} from the engine (the containers profile not setting it itself). */
    private boolean inherits(ConfigKey<?> key) {
        return profile != Profile.ENGINE && !settings.ownsKey(key);
    }

    /** {@code GANGWAY_PASSWORD} for the engine, {@code GANGWAY_CONTAINERS_PASSWORD} for containers. */
    private String variable(String engineName) {
        return profile == Profile.ENGINE ? engineName
                : engineName.replaceFirst("^GANGWAY_", "GANGWAY_" + profile.key().toUpperCase(Locale.ROOT) + "_");
    }
}
