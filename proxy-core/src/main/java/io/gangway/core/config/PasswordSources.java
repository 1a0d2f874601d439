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

    /** {@code keyring}, and {@code ask} for the person (or the answers they gave). */
    static PasswordSources of(Keyring keyring, Function<String, Optional<char[]>> ask) {
        return new PasswordSources() {
            @Override
            public Optional<char[]> fromKeyring(String user) throws KeyringException {
                return keyring.lookup(user);
            }

            @Override
            public Optional<char[]> prompt(String user) {
                return ask.apply(user);
            }
        };
    }
}
