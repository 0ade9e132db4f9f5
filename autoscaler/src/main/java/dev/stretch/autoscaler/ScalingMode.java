package dev.stretch.autoscaler;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether the autoscaler evaluates at all, and whether its decisions are meant to be applied. Set with
 * {@link AutoscalerOptions#MODE}; written {@code Off}, {@code Recommend} or {@code Auto} in configuration.
 */
public enum ScalingMode {

    /** Nothing is evaluated: every decision keeps the current instance count, with reason {@code ScalingDisabled}. */
    OFF("Off"),

    /**
     * Decisions are computed exactly as in {@link #AUTO} and reported, but {@link ScalingReport#shouldApply()} is
     * false, and no stabilisation period starts because nothing was changed.
     */
    RECOMMEND("Recommend"),

    /** Decisions are computed and marked to be applied; the caller applies them. */
    AUTO("Auto");

    private final String label;

    ScalingMode(String label) {
        this.label = label;
    }

    /** The spelling used in configuration and reports: {@code Off}, {@code Recommend}, {@code Auto}. */
    public String label() {
        return label;
    }

    /**
     * Parses a label, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted labels when {@code text} is none of them
     */
    public static ScalingMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (ScalingMode m : values()) {
            if (m.label.toLowerCase(Locale.ROOT).equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("expected one of "
                + Arrays.stream(values()).map(ScalingMode::label).collect(Collectors.joining(", ")) + ", was '"
                + text + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
