package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the autoscaler acts. */
public enum AutoscalingMode {
    @JsonProperty("Off")
    OFF,
    @JsonProperty("Recommend")
    RECOMMEND,
    @JsonProperty("Auto")
    AUTO;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return AutoscalingMode.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
