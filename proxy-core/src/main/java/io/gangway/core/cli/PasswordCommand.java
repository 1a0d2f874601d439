package io.gangway.core.cli;

import io.gangway.core.secrets.Keyring;
import io.gangway.core.secrets.KeyringException;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gangway password set|delete --user USER}: the upstream password in the OS keyring, for
 * {@code --password-from keyring}. {@code set} reads it from the terminal without echo (twice),
 * or as one line of standard input when that is not a terminal.
 */
@Command(name = "password", mixinStandardHelpOptions = true,
        description = "The upstream password in the OS keyring (for --password-from keyring): the Secret Service on "
                + "Linux (secret-tool), the macOS Keychain, the Windows Credential Manager.")
final class PasswordCommand {

    /** The command with its two subcommands, using the keyring that {@code env} leads to. */
    static CommandLine commandLine(Map<String, String> env, InputStream stdin) {
        CommandLine password = new CommandLine(new PasswordCommand());
        password.addSubcommand("set", new CommandLine(new Set(Keyring.ofThisOs(env), stdin)));
        password.addSubcommand("delete", new CommandLine(new Delete(Keyring.ofThisOs(env))));
        return password;
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Stores the password of USER in the OS keyring, replacing any earlier one.",
                    "Read from the terminal without echo, or as one line of standard input."})
    static final class Set implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--user", required = true, paramLabel = "USER",
                description = "The user as Gangway is given it (--user or the upstream URL's): CORP\\alice, alice@corp.example.")
        String user;

        private final Keyring keyring;
        private final InputStream stdin;

        Set(Keyring keyring, InputStream stdin) {
            this.keyring = keyring;
            this.stdin = stdin;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            char[] password = read(err);
            if (password == null) {
                return 2;
            }
            try {
                keyring.store(user, password);
            } catch (KeyringException e) {
                err.println("gangway password: " + e.getMessage());
                return 1;
            } finally {
                Arrays.fill(password, '\0');
            }
            spec.commandLine().getOut().println("stored the password of '" + user + "' in " + keyring.backend().description());
            spec.commandLine().getOut().flush();
            return 0;
        }

        private char[] read(PrintWriter err) throws IOException {
            Console console = System.console();
            char[] password;
            if (console != null) {
                password = console.readPassword("Password of %s: ", user);
                char[] again = password == null ? null : console.readPassword("Again: ");
                if (password != null && !Arrays.equals(password, again)) {
                    err.println("gangway password: the two differ; nothing was stored");
                    return null;
                }
            } else {
                password = StandardInput.readLine(stdin, "Password of " + user + ": ");
            }
            if (password == null || password.length == 0) {
                err.println("gangway password: no password given; nothing was stored");
                return null;
            }
            return password;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes the password of USER from the OS keyring.")
    static final class Delete implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--user", required = true, paramLabel = "USER", description = "The user whose password goes.")
        String user;

        private final Keyring keyring;

        Delete(Keyring keyring) {
            this.keyring = keyring;
        }

        @Override
        public Integer call() {
            try {
                boolean existed = keyring.delete(user);
                spec.commandLine().getOut().println(existed ? "deleted the password of '" + user + "' from "
                        + keyring.backend().description() : "no password of '" + user + "' was stored in "
                        + keyring.backend().description());
                spec.commandLine().getOut().flush();
                return existed ? 0 : 1;
            } catch (KeyringException e) {
                spec.commandLine().getErr().println("gangway password: " + e.getMessage());
                return 1;
            }
        }
    }
}
