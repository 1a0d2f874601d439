package io.gangway.core.cli;

import io.gangway.auth.NtlmScheme;
import io.gangway.core.clientauth.ClientUsers;
import io.gangway.core.clientauth.PasswordHash;
import java.io.Console;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gangway hash}: asks for the password and prints its NT hash, for {@code --nt-hash-file}
 * or {@code GANGWAY_NT_HASH}, so that no plain password need be stored (as Cntlm's {@code -H}).
 * With {@code --client USER}: prints the client-auth file's line for a user of Gangway itself.
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = {"Prints the NT hash of a password, for --nt-hash-file or GANGWAY_NT_HASH; with --client USER, "
                + "a line for the --client-auth-file instead.",
                "The password is read from the terminal without echo, or as one line from standard input."})
final class HashCommand implements Callable<Integer> {

    private static final char[] DIFFERENT = new char[0];

    @Spec
    CommandSpec spec;

    @Option(names = "--client", paramLabel = "USER",
            description = "Print USER:$pbkdf2-sha256$... (PBKDF2-HMAC-SHA256, random salt, "
                    + PasswordHash.DEFAULT_ITERATIONS + " iterations), a line of the --client-auth-file, "
                    + "for a client of Gangway.")
    String client;

    @Override
    public Integer call() throws IOException {
        if (client != null) {
            try {
                ClientUsers.checkUserName(client);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("gangway: --client: " + e.getMessage());
                return 2;
            }
        }
        char[] password = readPassword();
        if (password == DIFFERENT) {
            spec.commandLine().getErr().println("gangway: the two passwords differ; nothing printed");
            return 2;
        }
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("gangway: no password given");
            return 2;
        }
        String line;
        if (client == null) {
            line = HexFormat.of().formatHex(NtlmScheme.ntHash(password));
        } else {
            line = ClientUsers.entry(client, PasswordHash.create(password, PasswordHash.DEFAULT_ITERATIONS, new SecureRandom()));
        }
        Arrays.fill(password, '\0');
        spec.commandLine().getOut().println(line);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The password; null when none was given, {@link #DIFFERENT} when (a client's, at a terminal) the two typed differ. */
    private char[] readPassword() throws IOException {
        String prompt = client == null ? "Password: " : "Password of " + client + ": ";
        Console console = System.console();
        if (console == null) {
            return StandardInput.readLine(System.in, prompt);
        }
        char[] password = console.readPassword("%s", prompt);
        // A client's password is typed twice, as for 'gangway password set': a typo would lock the user out.
        if (client != null && password != null && !Arrays.equals(password, console.readPassword("Again: "))) {
            return DIFFERENT;
        }
        return password;
    }
}
