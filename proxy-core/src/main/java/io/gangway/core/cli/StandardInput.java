package io.gangway.core.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A password read from standard input. Java 17 has a Console only when standard input and output
 * both are terminals; with the output redirected ({@code gangway hash > file}) a password typed
 * at the terminal would be echoed, so echo is turned off around the read with {@code stty}.
 */
final class StandardInput {

    private StandardInput() {
    }

    /**
     * One line from {@code in}: hidden, after {@code prompt} on standard error, when {@code in} is
     * this process's standard input and a terminal; else as it comes (a pipe). Null at its end.
     */
    static char[] readLine(InputStream in, String prompt) throws IOException {
        boolean terminal = isTerminal(in);
        if (terminal) {
            stty("-echo"); // before the prompt: what is typed once it shows is not echoed
            PrintStream err = System.err;
            err.print(prompt);
            err.flush();
        }
        try {
            String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        } finally {
            if (terminal) {
                stty("echo");
                System.err.println();
            }
        }
    }

    /** True when {@code in} is this process's standard input and that is a terminal (asked of {@code test -t 0}). */
    static boolean isTerminal(InputStream in) {
        if (in != System.in || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
            return false;
        }
        return run("test", "-t", "0");
    }

    private static void stty(String setting) {
        run("stty", setting);
    }

    /** Runs a command on this process's terminal; whether it succeeded. */
    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
