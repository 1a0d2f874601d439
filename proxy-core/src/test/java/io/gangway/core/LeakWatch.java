package io.gangway.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Fails a test when Netty reported a leaked buffer. With paranoid leak detection (set by the
 * test build) every buffer is tracked; a leak is reported when the buffer is collected, so the
 * check forces a collection and an allocation first. It can miss a leak, never invent one.
 */
public final class LeakWatch {

    private static final ListAppender<ILoggingEvent> REPORTS = new ListAppender<>();

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
        synchronized (REPORTS.list) {
            leaks = REPORTS.list.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
            REPORTS.list.clear();
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported leaked buffers:\n" + String.join("\n", leaks));
        }
    }
}
