package dev.stretch.autoscaler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable, validated set of autoscaling option values; options not set have their defaults. Built from
 * string key/value pairs (a StreamJob spec, a YAML file, command-line flags) with {@link #fromMap(Map)}, or from
 * {@link #defaults()} with {@link #with(ConfigOption, Object)}. Read with {@link #get(ConfigOption)}.
 *
 * <p>Besides each option's own constraint, the utilisation band must contain the target:
 * {@code utilizationBand.low < targetUtilization < utilizationBand.high}.
 */
public final class AutoscalerConfig {

    private static final AutoscalerConfig DEFAULTS = new AutoscalerConfig(Map.of());

    private final Map<ConfigOption<?>, Object> values;

    private AutoscalerConfig(Map<ConfigOption<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** All options at their defaults. */
    public static AutoscalerConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Reads the options from {@code entries}. Keys outside {@link AutoscalerOptions#PREFIX} are ignored, so a whole
     * job configuration can be passed; an unknown key under the prefix is an error (a typo would otherwise
     * silently leave the default in place).
     *
     * @throws InvalidConfigException naming the first offending key
     */
    public static AutoscalerConfig fromMap(Map<String, String> entries) {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (ConfigOption<?> o : AutoscalerOptions.all()) {
            byKey.put(o.key(), o);
        }
        Map<ConfigOption<?>, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(AutoscalerOptions.PREFIX)) {
                continue;
            }
            ConfigOption<?> option = byKey.get(key);
            if (option == null) {
                throw new InvalidConfigException(key,
                        "unknown option; known options are " + String.join(", ", byKey.keySet()));
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new InvalidConfigException(key, "empty value");
            }
            values.put(option, option.parse(e.getValue()));
        }
        AutoscalerConfig config = new AutoscalerConfig(values);
        config.checkBand();
        return config;
    }

    /**
     * A copy with one option changed.
     *
     * @throws InvalidConfigException when the value breaks the option's constraint or the band rule
     */
    public <T> AutoscalerConfig with(ConfigOption<T> option, T value) {
        Objects.requireNonNull(option);
        Map<ConfigOption<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(option, option.check(value));
        AutoscalerConfig config = new AutoscalerConfig(copy);
        config.checkBand();
        return config;
    }

    /** The value of {@code option}, or its default when it was not set. */
    public <T> T get(ConfigOption<T> option) {
        Object v = values.get(option);
        return v == null ? option.defaultValue() : option.type().cast(v);
    }

    /** Every option's value as configuration text, keyed by option key, in documentation order. */
    public Map<String, String> toMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ConfigOption<?> o : AutoscalerOptions.all()) {
            out.put(o.key(), ConfigOption.format(get(o)));
        }
        return out;
    }

    private void checkBand() {
        double low = get(AutoscalerOptions.UTILIZATION_LOW);
        double target = get(AutoscalerOptions.TARGET_UTILIZATION);
        double high = get(AutoscalerOptions.UTILIZATION_HIGH);
        if (!(low < target)) {
            throw new InvalidConfigException(AutoscalerOptions.UTILIZATION_LOW.key(), "must be below "
                    + AutoscalerOptions.TARGET_UTILIZATION.key() + " (" + target + "), was " + low);
        }
        if (!(target < high)) {
            throw new InvalidConfigException(AutoscalerOptions.UTILIZATION_HIGH.key(), "must be above "
                    + AutoscalerOptions.TARGET_UTILIZATION.key() + " (" + target + "), was " + high);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AutoscalerConfig c && toMap().equals(c.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return toMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "AutoscalerConfig{", "}"));
    }
}
