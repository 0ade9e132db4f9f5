package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Shape of a generator's event rate over time. */
public enum RateProfile {
    @JsonProperty("constant")
    CONSTANT,
    @JsonProperty("step")
    STEP,
    @JsonProperty("sine")
    SINE,
    @JsonProperty("burst")
    BURST;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return RateProfile.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
