package dev.stretch.model;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Kubernetes users write them (Go syntax): {@code 500ms}, {@code 10s}, {@code 1m30s},
 * {@code 2h}, {@code 1.5s}.
 */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    private Durations() {
    }

    /** Parses a duration; throws {@link IllegalArgumentException} with the accepted syntax when it is not one. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 500ms, 10s, 1m30s, 2h)");
        }
        Matcher m = PART.matcher(text.trim());
        double nanos = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            nanos += switch (m.group(2)) {
                case "ms" -> v * 1e6;
                case "s" -> v * 1e9;
                case "m" -> v * 60e9;
                default -> v * 3600e9;
            };
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** Parses {@code text}, or returns {@code fallback} when it is null. */
    public static Duration parse(String text, Duration fallback) {
        return text == null ? fallback : parse(text);
    }

    private static final Pattern FINE_WHOLE = Pattern.compile("^([0-9]+(\\.[0-9]+)?(us|ms|s))+$");
    private static final Pattern FINE_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(us|ms|s)");

    /** A short duration down to microseconds: {@code 10us}, {@code 1.5ms}, {@code 2s}. */
    public static Duration parseFine(String text) {
        if (text == null || !FINE_WHOLE.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration in us, ms or s (examples: 10us, 1.5ms)");
        }
        Matcher m = FINE_PART.matcher(text.trim());
        double nanos = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            nanos += switch (m.group(2)) {
                case "us" -> v * 1e3;
                case "ms" -> v * 1e6;
                default -> v * 1e9;
            };
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** A duration the way it is written in job documents: {@code 10m}, {@code 1h30m}, {@code 1.5s}, {@code 250ms}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long h = d.toHours();
        long m = d.toMinutesPart();
        long s = d.toSecondsPart();
        long ms = d.toMillisPart();
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0 || (ms > 0 && b.length() > 0)) {
            b.append(s);
            if (ms > 0) {
                b.append('.').append(String.format(java.util.Locale.ROOT, "%03d", ms).replaceAll("0+$", ""));
            }
            b.append('s');
        } else if (ms > 0) {
            b.append(ms).append("ms");
        }
        return b.toString();
    }

    public static boolean isValid(String text) {
        return text != null && WHOLE.matcher(text.trim()).matches();
    }
}
