package io.gangway.core.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Gangway's logging, set up in code rather than by a logback.xml: reading XML loads about 400
 * classes (logback's Joran and the JDK's XML parser) that nothing else needs, 2-3 MiB of an
 * idle proxy's memory. Everything goes to standard output in {@link LineEncoder}'s lines,
 * batched per event-loop pass; {@code GANGWAY_LOG_LEVEL} sets the level (INFO by default; the
 * {@link #LIFECYCLE} lines show at any level). A file given with
 * {@code -Dlogback.configurationFile} still replaces all of this.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class GangwayLogConfigurator extends ContextAwareBase implements Configurator {

    /** The logger of the start-up and stop lines, which every level shows. */
    public static final String LIFECYCLE = "gangway.lifecycle";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        LineEncoder encoder = new LineEncoder();
        encoder.setContext(context);
        encoder.start();
        BatchedConsoleAppender<ILoggingEvent> console = new BatchedConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("GANGWAY_LOG_LEVEL"), Level.INFO));
        root.addAppender(console);
        context.getLogger("io.netty").setLevel(Level.WARN);
        // Where Gangway listens, and that it stopped, are said whatever the level: a user who
        // asked for WARN to quieten the access log still needs to know where to point clients.
        context.getLogger(LIFECYCLE).setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
