package dev.stretch.autoscaler;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every autoscaling option, as a typed constant with key, default and description. The defaults of the
 * utilisation options are the STRETCH paper's threshold policy: scale up above 90 % busy, down below 45 %, and
 * size for 70 %. The time defaults suit the in-process autoscaler that samples its engine every second or so and
 * reconfigures in milliseconds; the Kubernetes operator, which moves pods, will want longer ones.
 *
 * <p>Durations are written as in the StreamJob resource, one or more number + unit parts ({@code 500ms},
 * {@code 1.5s}, {@code 5m}, {@code 1m30s}, {@code 1h}), or in ISO-8601 ({@code PT10S}).
 */
public final class AutoscalerOptions {

    /** Key prefix shared by all options. {@link AutoscalerConfig#fromMap} rejects unknown keys under it. */
    public static final String PREFIX = "autoscaling.";

    public static final ConfigOption<ScalingMode> MODE = new ConfigOption<>(PREFIX + "mode", ScalingMode.class,
            ScalingMode.AUTO,
            "Off: evaluate nothing. Recommend: compute and report decisions but mark them not to be applied. "
                    + "Auto: compute decisions and mark them to be applied.",
            ScalingMode::parse, m -> true, "one of Off, Recommend, Auto");

    public static final ConfigOption<Double> TARGET_UTILIZATION = new ConfigOption<>(
            PREFIX + "targetUtilization", Double.class, 0.7,
            "Busy ratio an operator's instances are sized for when the autoscaler acts: the new instance count is "
                    + "the smallest that processes the input rate (plus backlog catch-up) at this utilisation.",
            AutoscalerOptions::parseRatio, openClosedUnit(), "in (0, 1]");

    public static final ConfigOption<Double> UTILIZATION_LOW = new ConfigOption<>(
            PREFIX + "utilizationBand.low", Double.class, 0.45,
            "Lower edge of the utilisation band. Below it (averaged over the metric window) the autoscaler "
                    + "recommends fewer instances; inside the band it leaves the operator alone.",
            AutoscalerOptions::parseRatio, v -> v >= 0 && v < 1, "in [0, 1)");

    public static final ConfigOption<Double> UTILIZATION_HIGH = new ConfigOption<>(
            PREFIX + "utilizationBand.high", Double.class, 0.9,
            "Upper edge of the utilisation band. Above it (averaged over the metric window) the autoscaler "
                    + "adds instances.",
            AutoscalerOptions::parseRatio, openClosedUnit(), "in (0, 1]");

    public static final ConfigOption<Duration> METRIC_WINDOW = new ConfigOption<>(PREFIX + "metricWindow",
            Duration.class, Duration.ofSeconds(5),
            "Samples of the last metricWindow are averaged before deciding. An operator is evaluated only once it "
                    + "has been observed with its current instance count for a whole window.",
            AutoscalerOptions::parseDuration, positive(), "positive");

    public static final ConfigOption<Duration> STABILIZATION = new ConfigOption<>(PREFIX + "stabilization",
            Duration.class, Duration.ofSeconds(10),
            "After any change of instances (applied by this autoscaler or observed in the samples) no further "
                    + "change is made for this long.",
            AutoscalerOptions::parseDuration, notNegative(), "zero or positive");

    public static final ConfigOption<Duration> SCALE_DOWN_DELAY = new ConfigOption<>(PREFIX + "scaleDownDelay",
            Duration.class, Duration.ofSeconds(60),
            "An operator is scaled down only after fewer instances have been recommended continuously for this "
                    + "long; it then gets the highest count recommended in that period. Scale-up is not delayed.",
            AutoscalerOptions::parseDuration, notNegative(), "zero or positive");

    public static final ConfigOption<Duration> CATCH_UP_TIME = new ConfigOption<>(PREFIX + "catchUpTime",
            Duration.class, Duration.ofSeconds(30),
            "Time within which a queued backlog should be worked off: backlog / catchUpTime is added to the "
                    + "input rate an operator is sized for.",
            AutoscalerOptions::parseDuration, positive(), "positive");

    public static final ConfigOption<Integer> MAX_STEP = new ConfigOption<>(PREFIX + "maxStep", Integer.class, 0,
            "Most instances added or removed per operator in one decision; 0 means no limit.",
            Integer::valueOf, v -> v >= 0, "zero or positive");

    public static final ConfigOption<Integer> BACKLOG_GROWTH_SAMPLES = new ConfigOption<>(
            PREFIX + "backlogGrowthSamples", Integer.class, 3,
            "Backlog or event-time lag that rose strictly across this many consecutive samples counts as growing, "
                    + "which makes the autoscaler size the operator even while its utilisation is inside the band.",
            Integer::valueOf, v -> v >= 2, "at least 2");

    private static final List<ConfigOption<?>> ALL = List.of(MODE, TARGET_UTILIZATION, UTILIZATION_LOW,
            UTILIZATION_HIGH, METRIC_WINDOW, STABILIZATION, SCALE_DOWN_DELAY, CATCH_UP_TIME, MAX_STEP,
            BACKLOG_GROWTH_SAMPLES);

    private AutoscalerOptions() {
    }

    /** All options, in documentation order. */
    public static List<ConfigOption<?>> all() {
        return ALL;
    }

    /** Same grammar as the StreamJob CRD's duration fields: one or more decimal number + unit parts. */
    private static final Pattern DURATION = Pattern.compile("([0-9]+(\\.[0-9]+)?(ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    static Duration parseDuration(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (DURATION.matcher(t).matches()) {
            BigDecimal nanos = BigDecimal.ZERO;
            Matcher m = DURATION_PART.matcher(t);
            while (m.find()) {
                long unit = switch (m.group(2)) {
                    case "ms" -> 1_000_000L;
                    case "s" -> 1_000_000_000L;
                    case "m" -> 60_000_000_000L;
                    default -> 3_600_000_000_000L;
                };
                nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)));
            }
            try {
                return Duration.ofNanos(nanos.setScale(0, RoundingMode.HALF_UP).longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("too long");
            }
        }
        if (t.startsWith("p")) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration");
            }
        }
        throw new IllegalArgumentException(
                "expected a duration with a unit (500ms, 1.5s, 5m, 1m30s, 1h) or ISO-8601 (PT10S)");
    }

    static Double parseRatio(String text) {
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number");
        }
        return v;
    }

    private static Predicate<Double> openClosedUnit() {
        return v -> v > 0 && v <= 1;
    }

    private static Predicate<Duration> positive() {
        return d -> !d.isNegative() && !d.isZero();
    }

    private static Predicate<Duration> notNegative() {
        return d -> !d.isNegative();
    }
}
