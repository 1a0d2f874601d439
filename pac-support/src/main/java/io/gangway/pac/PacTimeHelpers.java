package io.gangway.pac;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code weekdayRange}, {@code dateRange} and {@code timeRange}: local time, or UTC when the
 * last argument is {@code "GMT"}, with the browsers' rules: ranges of days, dates and times of
 * day wrap around ({@code weekdayRange("FRI", "MON")}, {@code timeRange(22, 0, 6, 0)}), a range of
 * whole hours does not ({@code timeRange(22, 6)} is never true); names are in capitals; a
 * {@code timeRange} with a wrong number of arguments throws, as there.
 */
final class PacTimeHelpers {

    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    private final Clock clock;

    PacTimeHelpers(Clock clock) {
        this.clock = clock;
    }

    /**
     * As the browsers' shared script: day names in capitals only ({@code "mon"} is no day), a
     * second day only when there are exactly two (a third argument that is not "GMT" leaves the
     * first day alone).
     */
    boolean weekdayRange(List<String> args) {
        List<String> a = new ArrayList<>(args);
        ZonedDateTime now = now(a);
        if (a.isEmpty()) {
            return false;
        }
        int from = DAYS.indexOf(a.get(0));
        int to = a.size() == 2 ? DAYS.indexOf(a.get(1)) : from;
        if (from < 0 || to < 0) {
            return false;
        }
        return inRange(now.getDayOfWeek().getValue() % 7, from, to);
    }

    /**
     * {@code dateRange(day)}, {@code (day1, day2)}, {@code (month)}, {@code (month1, month2)},
     * {@code (year)}, {@code (year1, year2)}, {@code (day1, month1, day2, month2)},
     * {@code (month1, year1, month2, year2)}, {@code (day1, month1, year1, day2, month2, year2)}.
     */
    boolean dateRange(List<String> args) {
        List<String> a = new ArrayList<>(args);
        ZonedDateTime now = now(a);
        if (a.isEmpty() || a.size() > 6) {
            return false;
        }
        long[] start = null;
        long[] end = null;
        if (a.size() == 1 || a.size() % 2 == 0) {
            start = datePoint(a.size() == 1 ? a : a.subList(0, a.size() / 2));
            end = datePoint(a.size() == 1 ? a : a.subList(a.size() / 2, a.size()));
        }
        if ((start == null || end == null || start[1] != end[1]) && a.size() <= 3) {
            // one date of several fields, as the browsers read dateRange(3, "MAR", 2009)
            start = datePoint(a);
            end = start;
        }
        if (start == null || end == null || start[1] != end[1]) {
            return false; // both ends must name the same fields
        }
        int fields = (int) start[1];
        long today = dateKey(now.getYear(), now.getMonthValue() - 1, now.getDayOfMonth(), fields);
        if ((fields & YEAR) != 0) {
            return start[0] <= today && today <= end[0];
        }
        return inRange(today, start[0], end[0]);
    }

    /** {@code timeRange(hour)}, {@code (h1, h2)}, {@code (h1, m1, h2, m2)}, {@code (h1, m1, s1, h2, m2, s2)}. */
    boolean timeRange(List<String> args) {
        List<String> a = new ArrayList<>(args);
        ZonedDateTime now = now(a);
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) {
            Integer n = number(a.get(i));
            if (n == null) {
                return false;
            }
            v[i] = n;
        }
        int seconds = now.getHour() * 3600 + now.getMinute() * 60 + now.getSecond();
        return switch (v.length) {
            case 0 -> false;
            case 1 -> now.getHour() == v[0];
            // hours only: compared without wrapping, as the browsers do (timeRange(22, 6) is never true)
            case 2 -> v[0] <= now.getHour() && now.getHour() <= v[1];
            case 4 -> inRange(seconds, v[0] * 3600 + v[1] * 60, v[2] * 3600 + v[3] * 60 + 59);
            case 6 -> inRange(seconds, v[0] * 3600 + v[1] * 60 + v[2], v[3] * 3600 + v[4] * 60 + v[5]);
            default -> throw new org.mozilla.javascript.JavaScriptException("timeRange: bad number of arguments", null, 0);
        };
    }

    private static final int DAY = 1;
    private static final int MONTH = 2;
    private static final int YEAR = 4;

    /** {key, fields}: a comparable number made of the fields given, or null when an argument is bad. */
    private static long[] datePoint(List<String> parts) {
        int day = 0;
        int month = 0;
        int year = 0;
        int fields = 0;
        for (String p : parts) {
            int m = MONTHS.indexOf(p); // capitals only, as in the browsers
            Integer n = number(p);
            if (m >= 0 && (fields & MONTH) == 0) {
                month = m;
                fields |= MONTH;
            } else if (n != null && n >= 1 && n <= 31 && (fields & DAY) == 0) {
                day = n;
                fields |= DAY;
            } else if (n != null && n > 31 && (fields & YEAR) == 0) {
                year = n;
                fields |= YEAR;
            } else {
                return null;
            }
        }
        return new long[] {dateKey(year, month, day, fields), fields};
    }

    private static long dateKey(int year, int month, int day, int fields) {
        return ((fields & YEAR) != 0 ? year * 10_000L : 0)
                + ((fields & MONTH) != 0 ? month * 100L : 0)
                + ((fields & DAY) != 0 ? day : 0);
    }

    private static boolean inRange(long value, long from, long to) {
        return from <= to ? from <= value && value <= to : value >= from || value <= to;
    }

    /** Drops a trailing {@code "GMT"} and gives the time in UTC for it, else in the local zone. */
    private ZonedDateTime now(List<String> args) {
        if (!args.isEmpty() && args.get(args.size() - 1).equalsIgnoreCase("GMT")) {
            args.remove(args.size() - 1);
            return ZonedDateTime.now(clock.withZone(ZoneOffset.UTC));
        }
        return ZonedDateTime.now(clock);
    }

    private static Integer number(String s) {
        try {
            return (int) Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
