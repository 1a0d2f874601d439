package io.gangway.core.cli;

import io.gangway.core.config.PasswordSources;
import io.gangway.core.secrets.Keyring;
import io.gangway.core.secrets.KeyringException;
import java.io.Console;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * For {@code run} and {@code check}: the OS keyring, and the person at the terminal, asked once
 * per user (both profiles share an answer) without echo. With no terminal (a service, a pipe)
 * nobody is asked, and the configuration says how to give the password instead.
 */
final class TerminalPasswords implements PasswordSources {

    private final Keyring keyring;
    private final Console console;
    private final Map<String, char[]> answers = new HashMap<>();

    /** The keyring, asked once per user (both profiles, one unlock dialog). */
    private final PasswordSources keyringOnce;

    private TerminalPasswords(Keyring keyring, Console console) {
        this.keyring = keyring;
        this.console = console;
        this.keyringOnce = PasswordSources.of(keyring, user -> Optional.empty());
    }

    static TerminalPasswords of(Map<String, String> env) {
        return new TerminalPasswords(Keyring.ofThisOs(env), System.console());
    }

    @Override
    public Optional<char[]> fromKeyring(String user) throws KeyringException {
        return keyringOnce.fromKeyring(user);
    }

    /**
     * For a reload, which may not ask anyone (it runs in the background): the keyring, and the
     * answers already given at the terminal.
     */
    PasswordSources answeredOnly() {
        return PasswordSources.of(keyring, user -> {
            char[] answer = answers.get(user);
            return answer == null || answer.length == 0 ? Optional.empty() : Optional.of(answer.clone());
        });
    }

    @Override
    public Optional<char[]> prompt(String user) {
        if (console == null) {
            return Optional.empty();
        }
        char[] answer = answers.computeIfAbsent(user, u -> console.readPassword("Password of %s for the upstream proxy: ", u));
        return answer == null || answer.length == 0 ? Optional.empty() : Optional.of(answer.clone());
    }
}
