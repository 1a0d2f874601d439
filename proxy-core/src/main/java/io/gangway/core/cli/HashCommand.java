package io.gangway.core.cli;

import io.gangway.auth.NtlmScheme;
import java.io.Console;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code gangway hash}: asks for the password and prints its NT hash, for {@code --nt-hash-file}
 * or {@code GANGWAY_NT_HASH}, so that no plain password need be stored (as Cntlm's {@code -H}).
 */
@Command(name = "hash", mixinStandardHelpOptions = true,
        description = {"Prints the NT hash of a password, for --nt-hash-file or GANGWAY_NT_HASH.",
                "The password is read from the terminal without echo, or as one line from standard input."})
final class HashCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        char[] password = readPassword();
        if (password == null || password.length == 0) {
            spec.commandLine().getErr().println("gangway: no password given");
            return 2;
        }
        byte[] hash = NtlmScheme.ntHash(password);
        Arrays.fill(password, '\0');
        spec.commandLine().getOut().println(HexFormat.of().formatHex(hash));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static char[] readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            return console.readPassword("Password: ");
        }
        return StandardInput.readLine(System.in, "Password: ");
    }
}
