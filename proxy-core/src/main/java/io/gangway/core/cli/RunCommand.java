package io.gangway.core.cli;

import ch.qos.logback.classic.LoggerContext;
import io.gangway.core.config.ConfigException;
import io.gangway.core.config.GangwayConfig;
import io.gangway.core.log.GangwayLogConfigurator;
import io.gangway.core.config.ConfigKey;
import io.gangway.core.config.ConfigValue;
import io.gangway.core.server.GangwayServer;
import io.gangway.core.server.InheritedSockets;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code gangway run}: its flags are made from {@link ConfigKey}, so that every setting has the
 * same name as a flag, a YAML key and a GANGWAY_* variable.
 */
final class RunCommand implements Callable<Integer> {

    private final CommandSpec spec = CommandSpec.wrapWithoutInspection(this);

    RunCommand() {
        HelpOptions.addTo(spec.name("run"));
        spec.usageMessage().description(
                "Runs the proxy. With no options: listens on 127.0.0.1:3128 and routes as the environment says "
                        + "(HTTP_PROXY, HTTPS_PROXY, NO_PROXY), else as the OS proxy settings say, else DIRECT.",
                "Each option is also a key of the --config file and a GANGWAY_<KEY> environment variable; "
                        + "flags override the environment, which overrides the file.",
                "The upstream password comes from GANGWAY_PASSWORD or --password-file.",
                "SIGHUP, or POST /reload on the --admin listener, re-reads the configuration.");
        ConfigOptions.addTo(spec);
    }

    CommandSpec spec() {
        return spec;
    }

    @Override
    public Integer call() throws InterruptedException {
        ParseResult parsed = spec.commandLine().getParseResult();
        GangwayConfig config;
        TerminalPasswords passwords = TerminalPasswords.of(System.getenv());
        InheritedSockets sockets;
        try {
            sockets = InheritedSockets.fromEnvironment(System.getenv());
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("gangway: " + e.getMessage());
            return 1;
        }
        // systemd's sockets are the listeners: they outrank the flags, the environment and the file
        Map<ConfigKey<?>, ConfigValue> imposed = sockets.listenFlags();
        try {
            ConfigOptions.configFile(parsed, System.getenv()).ifPresent(file ->
                    LoggerFactory.getLogger(GangwayLogConfigurator.LIFECYCLE).info("configuration from {}", file));
            config = ConfigOptions.load(parsed, System.getenv(), passwords, imposed);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("gangway: invalid configuration: " + e.getMessage());
            return 2;
        }
        GangwayServer server = new GangwayServer(config, System.getenv());
        server.adopt(sockets);
        // SIGHUP is handled before the listeners bind: one that arrives while Gangway starts (a
        // reload right after "listening on", as a test and systemd's ExecReload can send) waited
        // for start() (both synchronized) instead of meeting the JVM's default, which ended it.
        server.reloadFrom(() -> ConfigOptions.load(parsed, System.getenv(), passwords.answeredOnly(), imposed));
        reloadOn("HUP", server);
        try {
            server.start();
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("gangway: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            LoggerFactory.getLogger(GangwayLogConfigurator.LIFECYCLE).info("stopped");
            stopLogging();
            stopped.countDown();
        }, "gangway-shutdown"));
        exitCleanlyOn("TERM");
        exitCleanlyOn("INT");
        stopped.await();
        return 0;
    }

    /**
     * A stop asked for by SIGTERM (systemd, docker stop) or Ctrl-C is a clean one: exit 0 (the
     * JVM would exit 143 or 130), after the shutdown hook has closed the server.
     */
    @SuppressWarnings("removal")
    private static void exitCleanlyOn(String signal) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> System.exit(0));
        } catch (IllegalArgumentException e) {
            // no such signal on this OS: the JVM's default applies
        }
    }

    /** SIGHUP (systemd's ExecReload, kill -HUP) re-reads the configuration, as POST /reload does. */
    @SuppressWarnings("removal")
    private static void reloadOn(String signal, GangwayServer server) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                Thread reload = new Thread(server::reload, "gangway-reload");
                reload.setDaemon(true);
                reload.start();
            });
        } catch (IllegalArgumentException e) {
            // no SIGHUP on this OS (Windows): POST /reload on the admin listener does the same
        }
    }

    /** Writes out what the logging still buffers, after the last line the server logged. */
    private static void stopLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.stop();
        }
    }
}
