package io.gangway.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class LineEncoderTest {

    private final LoggerContext context = new LoggerContext();

    private String encode(LineEncoder encoder, String logger, Level level, String message, Throwable thrown, long millis) {
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger(logger), level, message, thrown, null);
        event.setTimeStamp(millis);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void writesWhatThePatternWroteTimeLevelPaddedToFiveLoggerNameLastPartMessage() {
        LineEncoder encoder = new LineEncoder();
        for (long millis : new long[] {1_764_743_623_691L, 1_764_743_623_005L, 1_764_743_624_040L, 0L, 951_782_400_000L}) {
            String expectedTime = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                    .format(OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), ZoneId.systemDefault()));
            assertThat(encode(encoder, "gangway.lifecycle", Level.INFO, "listening on 127.0.0.1:3128", null, millis))
                    .isEqualTo(expectedTime + " INFO  lifecycle listening on 127.0.0.1:3128" + System.lineSeparator());
        }
        assertThat(encode(encoder, "access", Level.WARN, "w", null, 0L)).contains(" WARN  access w");
        assertThat(encode(encoder, "gangway", Level.ERROR, "e", null, 0L)).contains(" ERROR gangway e");
    }

    /** Around both of a year's clock changes, and in zones whose offsets are not whole hours. */
    @Test
    void theOffsetIsTheZonesAtThatInstantAsJavaTimeHasIt() {
        for (String id : new String[] {"Europe/Berlin", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe"}) {
            ZoneId zone = ZoneId.of(id);
            LineEncoder encoder = new LineEncoder(TimeZone.getTimeZone(zone));
            var transitions = zone.getRules().getTransitions().stream()
                    .filter(t -> t.getInstant().isAfter(java.time.Instant.parse("2025-01-01T00:00:00Z"))).limit(2).toList();
            List<Long> instants = new ArrayList<>(List.of(1_764_743_623_691L));
            transitions.forEach(t -> {
                instants.add(t.getInstant().toEpochMilli() - 1);
                instants.add(t.getInstant().toEpochMilli());
            });
            for (long millis : instants) {
                String expectedTime = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                        .format(OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(millis), zone));
                assertThat(encode(encoder, "access", Level.INFO, "m", null, millis)).as(id).startsWith(expectedTime + " INFO");
            }
        }
    }

    @Test
    void offsetsAreWrittenAsXXXDoes() {
        assertThat(LineEncoder.offsetText(0)).isEqualTo("Z");
        assertThat(LineEncoder.offsetText(3600)).isEqualTo("+01:00");
        assertThat(LineEncoder.offsetText(-(9 * 3600 + 30 * 60))).isEqualTo("-09:30");
        assertThat(LineEncoder.offsetText(5 * 3600 + 45 * 60 + 10)).isEqualTo("+05:45");
    }

    @Test
    void aThrowableFollowsItsLineWithItsStackTrace() {
        String text = encode(new LineEncoder(), "gangway", Level.WARN, "failed", new IllegalStateException("boom"), 0L);
        String[] lines = text.split(System.lineSeparator());
        assertThat(lines[0]).endsWith(" WARN  gangway failed");
        assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines[2]).contains("at io.gangway.core.log.LineEncoderTest");
        assertThat(text).endsWith(System.lineSeparator());
    }
}
