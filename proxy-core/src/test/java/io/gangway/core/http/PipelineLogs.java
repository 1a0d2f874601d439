package io.gangway.core.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What the client pipeline logs while it is fuzzed: quiet (errors only, so that a warning per
 * refused input does not slow the fuzzer), and watched for what no input may cause: an error,
 * or an exception that reached {@link ClientHandler#exceptionCaught} (it closes the connection
 * without an answer; in an embedded pipeline no I/O error can cause one).
 */
final class PipelineLogs {

    private static final String CONNECTION_ERROR = "client {} connection error: {}";
    private static final Logger ROOT = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private static final Logger HANDLER = (Logger) LoggerFactory.getLogger(ClientHandler.class);

    private final List<String> seen = new ArrayList<>();
    private final Level rootLevel = ROOT.getLevel();
    private final AppenderBase<ILoggingEvent> recorder = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR) || CONNECTION_ERROR.equals(event.getMessage())) {
                synchronized (seen) {
                    seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage());
                }
            }
        }
    };

    PipelineLogs() {
        recorder.start();
        ROOT.setLevel(Level.ERROR);
        ROOT.addAppender(recorder);
        HANDLER.setLevel(Level.DEBUG);
        HANDLER.setAdditive(false); // its debug lines to the recorder only
        HANDLER.addAppender(recorder);
    }

    /** Fails on what was logged since the last call. */
    void assertNothingUnexpected() {
        List<String> got;
        synchronized (seen) {
            got = List.copyOf(seen);
            seen.clear();
        }
        if (!got.isEmpty()) {
            throw new AssertionError("logged while handling the input:\n" + String.join("\n", got));
        }
    }

    void restore() {
        HANDLER.detachAppender(recorder);
        HANDLER.setAdditive(true);
        HANDLER.setLevel(null);
        ROOT.detachAppender(recorder);
        ROOT.setLevel(rootLevel);
        recorder.stop();
    }
}
