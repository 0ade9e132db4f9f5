package dev.stretch.autoscaler;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One typed autoscaling option: its key, value type, default, description and the constraint a value must
 * meet. The constants live in {@link AutoscalerOptions}; values are read with
 * {@link AutoscalerConfig#get(ConfigOption)}. A documentation generator can list them with
 * {@link AutoscalerOptions#all()}.
 *
 * @param <T> the value type
 */
public final class ConfigOption<T> {

    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final String description;
    private final Function<String, T> parser;
    private final Predicate<T> constraint;
    private final String constraintText;

    ConfigOption(String key, Class<T> type, T defaultValue, String description, Function<String, T> parser,
            Predicate<T> constraint, String constraintText) {
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = Objects.requireNonNull(defaultValue);
        this.description = Objects.requireNonNull(description);
        this.parser = Objects.requireNonNull(parser);
        this.constraint = Objects.requireNonNull(constraint);
        this.constraintText = Objects.requireNonNull(constraintText);
        if (!constraint.test(defaultValue)) {
            throw new IllegalStateException(key + ": default " + defaultValue + " is not " + constraintText);
        }
    }

    /** The configuration key, e.g. {@code autoscaling.targetUtilization}. */
    public String key() {
        return key;
    }

    /** The Java type of the value. */
    public Class<T> type() {
        return type;
    }

    /** The value used when the key is absent. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The default as it would be written in configuration (durations as {@code 10s}, modes as {@code Auto}). */
    public String defaultValueText() {
        return format(defaultValue);
    }

    /** What the option does, in a sentence or two. */
    public String description() {
        return description;
    }

    /** The rule a value must follow, in words, e.g. {@code "in (0, 1]"}. */
    public String constraint() {
        return constraintText;
    }

    /** Parses and checks a textual value; the exception names this option's key. */
    T parse(String text) {
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, "cannot parse '" + text + "': " + e.getMessage());
        }
        check(value);
        return value;
    }

    /** Checks a typed value against the constraint; the exception names this option's key. */
    T check(Object value) {
        if (!type.isInstance(value)) {
            throw new InvalidConfigException(key, "expected a " + type.getSimpleName() + ", got " + value);
        }
        T v = type.cast(value);
        if (!constraint.test(v)) {
            throw new InvalidConfigException(key, "must be " + constraintText + ", was " + format(v));
        }
        return v;
    }

    @Override
    public String toString() {
        return key;
    }

    static String format(Object value) {
        if (value instanceof Duration d) {
            return formatDuration(d);
        }
        return String.valueOf(value);
    }

    static String formatDuration(Duration d) {
        if (d.toNanosPart() % 1_000_000 != 0) {
            return d.toString(); // sub-millisecond: ISO-8601 keeps it exact
        }
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
