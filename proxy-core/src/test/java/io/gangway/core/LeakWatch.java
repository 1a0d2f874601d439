package io.gangway.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Netty reported a leaked buffer. With paranoid leak detection (set by the
 * test build) every buffer is tracked; a leak is reported when the buffer is collected, so the
 * check forces a collection and an allocation first. It can miss a leak, never invent one.
 */
public final class LeakWatch {

    /** Added to under its own lock (logback's ListAppender adds without one, while the test reads). */
    private static final List<ILoggingEvent> LEAKS = new ArrayList<>();
    private static final AppenderBase<ILoggingEvent> REPORTS = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            synchronized (LEAKS) {
                LEAKS.add(event);
            }
        }
    };

    static {
        REPORTS.start();
        ((Logger) LoggerFactory.getLogger("io.netty.util.ResourceLeakDetector")).addAppender(REPORTS);
    }

    private LeakWatch() {
    }

    public static void assertNoLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.buffer(1).release(); // lets the detector report
        }
        List<String> leaks;
        synchronized (LEAKS) {
            leaks = LEAKS.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
            LEAKS.clear();
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaked buffers:\n" + String.join("\n", leaks));
        }
    }
}
