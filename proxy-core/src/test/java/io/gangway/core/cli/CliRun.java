package io.gangway.core.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One execution of a command line in a test: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {

    static CliRun of(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        // Into the test's output file too, which the suite's secret audit reads: what a command
        // prints must hold no secret either.
        System.out.println("$ gangway " + String.join(" ", args) + "  (exit " + exit + ")");
        System.out.print(out);
        System.out.print(err);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
