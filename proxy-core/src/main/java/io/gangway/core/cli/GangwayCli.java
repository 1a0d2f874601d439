package io.gangway.core.cli;

import io.gangway.core.log.GangwayLogProvider;
import io.netty.util.ResourceLeakDetector;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code gangway} command line; each subcommand is a class of its own. The root is built
 * through picocli's programmatic API rather than annotations: reading the annotations by
 * reflection was ~20 ms of every start.
 */
public final class GangwayCli {

    private GangwayCli() {
    }

    private static CommandSpec root() {
        CommandSpec spec = CommandSpec.create().name("gangway").versionProvider(new Version());
        spec.usageMessage().description("Local HTTP forward proxy with upstream proxy authentication.");
        return HelpOptions.addTo(spec);
    }

    public static void main(String[] args) {
        GangwayLogProvider.select(); // before anything asks for a logger
        // Netty samples 1 buffer in 128 with a stack trace to look for leaks: ~1% of the CPU of
        // a busy proxy. The tests run with it at "paranoid"; -Dio.netty.leakDetection.level
        // turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        // picocli registers converters for the java.time and java.sql types by reflection, which
        // initialises those classes (java.time's formatters among them): no option here has one.
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java\\.(time|sql)\\..*");
        }
        System.exit(commandLine(args.length > 0 ? args[0] : "").execute(args));
    }

    /**
     * The subcommands by name, in the order help lists them. Each is built only when it is the one
     * invoked: picocli builds a command by reflection (the key-built ones have a hundred options
     * each), with its own classes read and verified from the jar (they are too old a class-file
     * version for the class-data archive), and building them all was most of start-up's time
     * before Gangway did anything.
     */
    private static Map<String, Supplier<CommandLine>> subcommands() {
        Map<String, Supplier<CommandLine>> all = new LinkedHashMap<>();
        all.put("hash", () -> new CommandLine(new HashCommand()));
        all.put("pac", () -> new CommandLine(new PacCommand()));
        all.put("help", () -> new CommandLine(new CommandLine.HelpCommand()));
        all.put("run", () -> new CommandLine(new RunCommand().spec()));
        all.put("check", () -> new CommandLine(new CheckCommand(System.getenv()).spec()));
        all.put("env", () -> new CommandLine(new EnvCommand(System.getenv()).spec()));
        all.put("password", () -> PasswordCommand.commandLine(System.getenv(), System.in));
        all.put("status", () -> new CommandLine(new StatusCommand(System.getenv()).spec()));
        all.put("transparent-rules", () -> new CommandLine(new TransparentRulesCommand(System.getenv()).spec()));
        return all;
    }

    /** The whole command tree, for help, for errors and for tests. */
    public static CommandLine commandLine() {
        return commandLine("");
    }

    /**
     * The command tree for a command line whose first word is {@code first}: the root and that
     * subcommand when it is one, else (help, an error, no subcommand) the whole tree, so that help
     * and picocli's suggestions name them all.
     */
    static CommandLine commandLine(String first) {
        CommandLine cli = new CommandLine(root());
        Map<String, Supplier<CommandLine>> all = subcommands();
        if (all.containsKey(first) && !first.equals("help")) {
            cli.addSubcommand(first, all.get(first).get());
        } else {
            all.forEach((name, build) -> cli.addSubcommand(name, build.get()));
        }
        return cli;
    }
}
