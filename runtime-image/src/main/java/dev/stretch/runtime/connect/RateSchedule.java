package dev.stretch.runtime.connect;

import dev.stretch.model.Defaults;
import dev.stretch.model.Durations;
import dev.stretch.model.RateProfile;
import dev.stretch.model.RateSpec;

/**
 * A generator's event rate as a function of elapsed event time since its start, and the number of events
 * expected by a given time (the rate's integral). The generator schedules its i-th event at the first
 * millisecond by whose end the integral exceeds i, so the integral is what makes the schedule exact and
 * independent of when records are actually emitted.
 *
 * <ul>
 *   <li>constant: {@code rate};</li>
 *   <li>step: {@code rate} until {@code stepAt}, {@code peak} for {@code stepDuration} (forever when
 *       absent), then {@code rate} again;</li>
 *   <li>sine: {@code rate + (peak - rate) * (1 + sin(2πt / period)) / 2};</li>
 *   <li>burst: {@code peak} for {@code burstDuration} at the start of every {@code period}, else
 *       {@code rate}.</li>
 * </ul>
 *
 * The sine uses {@link StrictMath} so that every JVM computes the same schedule from the same spec.
 */
public final class RateSchedule {
    private static final double TWO_PI = 2 * Math.PI;

    private final RateProfile profile;
    /**
     * Events per second. The integral divides by 1000 last, so that whole numbers of events come out
     * exact (a per-ms rate like 0.01 is not a binary fraction, and the schedule would drift by one ulp).
     */
    private final double base;
    private final double peak;
    /** Milliseconds. */
    private final double stepAt;
    private final double stepLength;
    private final double period;
    private final double burstLength;

    private RateSchedule(RateProfile profile, double ratePerSecond, double peakPerSecond, double stepAt,
            double stepLength, double period, double burstLength) {
        this.profile = profile;
        this.base = ratePerSecond;
        this.peak = peakPerSecond;
        this.stepAt = stepAt;
        this.stepLength = stepLength;
        this.period = period;
        this.burstLength = burstLength;
    }

    /** A constant rate. */
    public static RateSchedule constant(double eventsPerSecond) {
        requireRate(eventsPerSecond, "rate");
        return new RateSchedule(RateProfile.CONSTANT, eventsPerSecond, eventsPerSecond, 0, 0, 1, 0);
    }

    /**
     * The schedule a {@link RateSpec} describes; {@code null} means the default constant rate.
     *
     * @throws IllegalArgumentException naming the field when one the profile needs is missing or invalid
     */
    public static RateSchedule of(RateSpec spec) {
        if (spec == null) {
            return constant(Defaults.GENERATOR_RATE);
        }
        RateProfile profile = spec.getProfile() == null ? RateProfile.CONSTANT : spec.getProfile();
        double rate = spec.getRate() == null ? Defaults.GENERATOR_RATE : spec.getRate();
        requireRate(rate, "rate");
        if (profile == RateProfile.CONSTANT) {
            return constant(rate);
        }
        double peak = required(spec.getPeak(), "peak", profile);
        requireRate(peak, "peak");
        return switch (profile) {
            case STEP -> new RateSchedule(profile, rate, peak, millis(required(spec.getStepAt(), "stepAt", profile)),
                    spec.getStepDuration() == null ? Double.POSITIVE_INFINITY : millis(spec.getStepDuration()), 1, 0);
            case SINE -> new RateSchedule(profile, rate, peak, 0, 0,
                    positive(millis(required(spec.getPeriod(), "period", profile)), "period"), 0);
            case BURST -> {
                double p = positive(millis(required(spec.getPeriod(), "period", profile)), "period");
                double b = millis(required(spec.getBurstDuration(), "burstDuration", profile));
                if (b > p) {
                    throw new IllegalArgumentException("rate.burstDuration (" + spec.getBurstDuration()
                            + ") must not exceed rate.period (" + spec.getPeriod() + ")");
                }
                yield new RateSchedule(profile, rate, peak, 0, 0, p, b);
            }
            default -> throw new IllegalStateException("unknown rate profile " + profile);
        };
    }

    public RateProfile profile() {
        return profile;
    }

    /** The rate, in events per second, {@code elapsedMillis} after the start. */
    public double ratePerSecond(double elapsedMillis) {
        double t = Math.max(0, elapsedMillis);
        return switch (profile) {
            case CONSTANT -> base;
            case STEP -> t >= stepAt && t - stepAt < stepLength ? peak : base;
            case SINE -> base + (peak - base) * (1 + StrictMath.sin(TWO_PI * t / period)) / 2;
            case BURST -> t - Math.floor(t / period) * period < burstLength ? peak : base;
        };
    }

    /** Events expected (over all splits) in the first {@code elapsedMillis} after the start. Non-decreasing. */
    public double expectedEvents(double elapsedMillis) {
        double t = Math.max(0, elapsedMillis);
        double eventsTimesThousand = switch (profile) {
            case CONSTANT -> base * t;
            case STEP -> {
                double before = Math.min(t, stepAt);
                double during = Math.min(Math.max(t - stepAt, 0), stepLength);
                double after = Math.max(t - stepAt - stepLength, 0);
                yield base * before + peak * during + base * after;
            }
            // ∫0^t (1 + sin(2πs/P)) / 2 ds = t/2 + P/(4π) * (1 - cos(2πt/P))
            case SINE -> base * t + (peak - base) * (t / 2 + period / (2 * TWO_PI)
                    * (1 - StrictMath.cos(TWO_PI * t / period)));
            case BURST -> {
                double periods = Math.floor(t / period);
                double u = t - periods * period;
                double perPeriod = peak * burstLength + base * (period - burstLength);
                double partial = u < burstLength ? peak * u : peak * burstLength + base * (u - burstLength);
                yield periods * perPeriod + partial;
            }
        };
        return eventsTimesThousand / 1000;
    }

    private static double millis(String duration) {
        return Durations.parse(duration).toNanos() / 1e6;
    }

    private static <V> V required(V value, String field, RateProfile profile) {
        if (value == null) {
            throw new IllegalArgumentException("rate." + field + " is required for a " + profile.wireName() + " profile");
        }
        return value;
    }

    private static double positive(double millis, String field) {
        if (!(millis > 0)) {
            throw new IllegalArgumentException("rate." + field + " must be positive");
        }
        return millis;
    }

    private static void requireRate(double eventsPerSecond, String field) {
        if (!(eventsPerSecond >= 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("rate." + field + " must be a finite number >= 0, was " + eventsPerSecond);
        }
    }
}
