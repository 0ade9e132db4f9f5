package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes taint effect. */
public enum TaintEffect {
    @JsonProperty("NoSchedule")
    NO_SCHEDULE,
    @JsonProperty("PreferNoSchedule")
    PREFER_NO_SCHEDULE,
    @JsonProperty("NoExecute")
    NO_EXECUTE;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return TaintEffect.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
