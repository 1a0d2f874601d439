package io.gangway.core.config;

import io.gangway.core.secrets.Keyring;
import io.gangway.core.secrets.KeyringException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a password comes from when no file or variable gives one: the OS keyring
 * ({@code password-from: keyring}), else the person at the terminal, if any.
 */
public interface PasswordSources {

    Optional<char[]> fromKeyring(String user) throws KeyringException;

    /** Asks for the password of {@code user}; empty when no one can be asked. */
    Optional<char[]> prompt(String user);

    /** This OS's keyring, and no one to ask (a service, a test). */
    static PasswordSources keyringOnly(Map<String, String> env) {
        return of(Keyring.ofThisOs(env), user -> Optional.empty());
    }

    /**
     * {@code keyring}, and {@code ask} for the person (or the answers they gave). The keyring is
     * asked once per user: both profiles share the answer (and a locked keyring's one dialog).
     */
    static PasswordSources of(Keyring keyring, Function<String, Optional<char[]>> ask) {
        Map<String, Optional<char[]>> found = new java.util.HashMap<>();
        return new PasswordSources() {
            @Override
            public synchronized Optional<char[]> fromKeyring(String user) throws KeyringException {
                Optional<char[]> known = found.get(user);
                if (known == null) {
                    known = keyring.lookup(user);
                    found.put(user, known);
                }
                return known.map(char[]::clone);
            }

            @Override
            public Optional<char[]> prompt(String user) {
                return ask.apply(user);
            }
        };
    }
}
