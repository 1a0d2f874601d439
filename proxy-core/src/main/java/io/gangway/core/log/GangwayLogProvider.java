package io.gangway.core.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logback, bound for {@code gangway} itself ({@link #select()} names it to SLF4J before the
 * first logger): a logback {@link LoggerContext} that {@link GangwayLogConfigurator} configures
 * directly. Logback's own provider first runs its {@code ContextInitializer}: a check that its
 * jars' versions agree, a service lookup of configurators over the whole jar, a report of how
 * long configuring took; with SLF4J's own lookup of providers, a fifth of start-up's main
 * thread before the listener was bound. With {@code -Dlogback.configurationFile} the standard
 * initialisation runs, so that such a file is read as logback reads it.
 */
public final class GangwayLogProvider implements SLF4JServiceProvider {

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    /** Makes SLF4J bind this provider, unless a provider was named already. */
    public static void select() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", GangwayLogProvider.class.getName());
            // else SLF4J says on standard error, at every start, that it loads the provider named
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
        }
    }

    @Override
    public void initialize() {
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(mdc);
        if (System.getProperty("logback.configurationFile") == null) {
            new GangwayLogConfigurator().configure(context);
        } else {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                System.err.println("gangway: the logback configuration file failed: " + e.getMessage());
            }
        }
        context.start();
        // what logback's provider does, but its printer's classes load only when there is something to print
        if (new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
            StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
