package io.gangway.core.cli;

import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gangway} command line; each subcommand is a class of its own. */
@Command(name = "gangway", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Local HTTP forward proxy with upstream proxy authentication.",
        subcommands = {HashCommand.class, PacCommand.class, CommandLine.HelpCommand.class})
public final class GangwayCli {

    public static void main(String[] args) {
        // Netty samples 1 buffer in 128 with a stack trace to look for leaks: ~1% of the CPU of
        // a busy proxy. The tests run with it at "paranoid"; -Dio.netty.leakDetection.level
        // turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(commandLine().execute(args));
    }

    /** The whole command tree, for main and for tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new GangwayCli());
        RunCommand run = new RunCommand();
        cli.addSubcommand("run", new CommandLine(run.spec()));
        cli.addSubcommand("check", new CommandLine(new CheckCommand(System.getenv()).spec()));
        cli.addSubcommand("env", new CommandLine(new EnvCommand(System.getenv()).spec()));
        cli.addSubcommand("password", PasswordCommand.commandLine(System.getenv(), System.in));
        cli.addSubcommand("status", new CommandLine(new StatusCommand(System.getenv()).spec()));
        cli.addSubcommand("transparent-rules", new CommandLine(new TransparentRulesCommand(System.getenv()).spec()));
        return cli;
    }
}
