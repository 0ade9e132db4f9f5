package dev.stretch.autoscaler;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A daily time range in which the autoscaler changes nothing (it still evaluates and reports), e.g. a business
 * peak a team prefers to ride out at a fixed size. Written {@code [DAYS ]HH:MM-HH:MM}, in UTC: {@code 08:00-10:00},
 * {@code Mon-Fri 08:00-10:00}, {@code Sat,Sun 00:00-24:00}. A range whose end is before its start wraps past
 * midnight and belongs to the day it starts on.
 *
 * @param text the period as written
 * @param days days on which the range starts
 * @param from start of the range (inclusive)
 * @param to end of the range (exclusive); {@code 24:00} is written as the end of the day
 */
public record ExcludedPeriod(String text, Set<DayOfWeek> days, LocalTime from, LocalTime to, boolean untilMidnight) {
    /** The syntax, for validation messages and CRD patterns. */
    public static final String SYNTAX = "[DAYS ]HH:MM-HH:MM in UTC, DAYS like Mon-Fri or Sat,Sun";
    public static final String PATTERN = "^(((Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)"
            + "(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)* )?"
            + "([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";
    private static final Pattern SHAPE = Pattern.compile(PATTERN);
    private static final Pattern RANGE = Pattern.compile("(\\d\\d:\\d\\d)-(\\d\\d:\\d\\d)$");

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the expected syntax. */
    public static ExcludedPeriod parse(String text) {
        String t = text == null ? "" : text.trim();
        if (!SHAPE.matcher(t).matches()) {
            throw new IllegalArgumentException("excluded period '" + text + "' is not " + SYNTAX);
        }
        Matcher m = RANGE.matcher(t);
        if (!m.find()) {
            throw new IllegalArgumentException("excluded period '" + text + "' is not " + SYNTAX);
        }
        Set<DayOfWeek> days = EnumSet.allOf(DayOfWeek.class);
        String dayPart = t.substring(0, m.start()).trim();
        if (!dayPart.isEmpty()) {
            days = EnumSet.noneOf(DayOfWeek.class);
            for (String item : dayPart.split(",")) {
                String[] ends = item.split("-");
                DayOfWeek a = day(ends[0]);
                DayOfWeek b = ends.length > 1 ? day(ends[1]) : a;
                for (DayOfWeek d = a; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == b) {
                        break;
                    }
                }
            }
        }
        try {
            boolean midnight = m.group(2).equals("24:00");
            return new ExcludedPeriod(t, Set.copyOf(days), LocalTime.parse(m.group(1)),
                    midnight ? LocalTime.MIDNIGHT : LocalTime.parse(m.group(2)), midnight);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("excluded period '" + text + "' is not " + SYNTAX);
        }
    }

    private static DayOfWeek day(String abbreviation) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(abbreviation)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown day " + abbreviation);
    }

    /** Whether {@code at} falls in this period. */
    public boolean contains(Instant at) {
        ZonedDateTime z = at.atZone(ZoneOffset.UTC);
        LocalTime time = z.toLocalTime();
        boolean wraps = !untilMidnight && !to.isAfter(from);
        if (untilMidnight) {
            return days.contains(z.getDayOfWeek()) && !time.isBefore(from);
        }
        if (!wraps) {
            return days.contains(z.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
        }
        // wraps past midnight: the evening belongs to today, the early morning to yesterday's range
        return (days.contains(z.getDayOfWeek()) && !time.isBefore(from))
                || (days.contains(z.getDayOfWeek().minus(1)) && time.isBefore(to));
    }

    @Override
    public String toString() {
        return text;
    }
}
