package io.gangway.core.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.TimeZone;

/**
 * Gangway's log line: {@code 2026-12-03T06:33:43.691Z INFO  access message}, what the pattern
 * {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0} %msg%n} wrote, then a throwable's
 * stack trace if the event has one. Written by hand rather than by logback's PatternLayout, whose
 * parser, converters and java.time formatter (with the JDK's locale data) were classes loaded at
 * every start for this one line format; the date and time are formatted once per second.
 * Thread-safe: logback encodes outside its appender's lock.
 */
public final class LineEncoder extends EncoderBase<ILoggingEvent> {

    /** The text of one second: the date and time up to the dot, and the zone's offset. */
    private record Second(long epochSecond, String dateTime, String offset) {
    }

    /**
     * The machine's zone as a {@link TimeZone}, whose offsets come from the JDK's compiled zone
     * file, rather than {@code ZoneId.systemDefault()}, whose rules provider first looks for others
     * with a service lookup over the whole class path: at every start, before the first line.
     */
    private final TimeZone zone;
    private volatile Second second = new Second(Long.MIN_VALUE, "", "");

    public LineEncoder() {
        this(TimeZone.getDefault());
    }

    LineEncoder(TimeZone zone) {
        this.zone = zone;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(160);
        appendTime(line, event.getTimeStamp());
        String level = event.getLevel().toString();
        line.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            line.append(' ');
        }
        String logger = event.getLoggerName();
        line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(' ').append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    private void appendTime(StringBuilder line, long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        Second s = second;
        if (s.epochSecond() != epochSecond) {
            s = format(epochSecond);
            second = s;
        }
        int millis = (int) Math.floorMod(epochMillis, 1000);
        line.append(s.dateTime()).append('.');
        if (millis < 100) {
            line.append('0');
        }
        if (millis < 10) {
            line.append('0');
        }
        line.append(millis).append(s.offset());
    }

    private Second format(long epochSecond) {
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(zone.getOffset(epochSecond * 1000) / 1000);
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, offset);
        StringBuilder b = new StringBuilder(19);
        digits(b, t.getYear(), 4).append('-');
        digits(b, t.getMonthValue(), 2).append('-');
        digits(b, t.getDayOfMonth(), 2).append('T');
        digits(b, t.getHour(), 2).append(':');
        digits(b, t.getMinute(), 2).append(':');
        digits(b, t.getSecond(), 2);
        return new Second(epochSecond, b.toString(), offsetText(offset.getTotalSeconds()));
    }

    /** The offset as the pattern letters XXX write it: Z, or +HH:MM (seconds dropped). */
    static String offsetText(int totalSeconds) {
        if (totalSeconds == 0) {
            return "Z";
        }
        int minutes = Math.abs(totalSeconds) / 60;
        StringBuilder b = new StringBuilder(6).append(totalSeconds < 0 ? '-' : '+');
        digits(b, minutes / 60, 2).append(':');
        return digits(b, minutes % 60, 2).toString();
    }

    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(text);
    }
}
