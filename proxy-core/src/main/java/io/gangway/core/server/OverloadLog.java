package io.gangway.core.server;

import io.gangway.core.config.OverloadLimit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log that a limit refuses clients: at once the first time, then at most once a
 * minute per limit with the count since, so that a flood of refusals is not also a flood of log
 * lines. Silent connections closed by the first-byte timeout are not overload: debug lines only.
 */
final class OverloadLog {

    private static final Logger log = LoggerFactory.getLogger("gangway");
    private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long NEVER = Long.MIN_VALUE;

    private final AtomicLong[] lastLine = new AtomicLong[OverloadLimit.values().length];
    private final LongAdder[] since = new LongAdder[OverloadLimit.values().length];

    OverloadLog() {
        for (int i = 0; i < lastLine.length; i++) {
            lastLine[i] = new AtomicLong(NEVER);
            since[i] = new LongAdder();
        }
    }

    void refused(OverloadLimit limit, String client) {
        if (limit == OverloadLimit.FIRST_BYTE_TIMEOUT) {
            log.debug("closed the connection of client {}: it sent nothing within first-byte-timeout", client);
            return;
        }
        int i = limit.ordinal();
        since[i].increment();
        long now = System.nanoTime();
        long last = lastLine[i].get();
        if ((last == NEVER || now - last >= INTERVAL_NANOS) && lastLine[i].compareAndSet(last, now)) {
            log.warn("overload: {} reached: {} refused{} (the latest from {}); raise it if this load is expected",
                    limit.key(), since[i].sumThenReset(), last == NEVER ? "" : " since the last such line", client);
        }
    }
}
