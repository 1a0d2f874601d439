package io.gangway.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Collects every log line Gangway writes while a test runs (access log and the rest). */
public final class AccessLogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    /** Appended to by Gangway's threads while the test reads it: logback's ListAppender is not safe for that. */
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    };

    public AccessLogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    /** All lines so far, formatted. */
    public List<String> lines() {
        return events.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    /** Access log lines only. */
    public List<String> accessLines() {
        return events.stream().filter(e -> e.getLoggerName().equals("gangway.access"))
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    /**
     * Waits (up to 5 s) until {@code count} access lines contain {@code marker}, and returns
     * those: a line is written once the response is out, so a client can finish reading before
     * it is logged, and lines of other tests' late exchanges may arrive meanwhile.
     */
    public List<String> awaitAccessLines(String marker, int count) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        List<String> lines = matching(marker);
        while (lines.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
            lines = matching(marker);
        }
        return lines;
    }

    private List<String> matching(String marker) {
        return accessLines().stream().filter(l -> l.contains(marker)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
