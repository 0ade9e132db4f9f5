package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes toleration operator. */
public enum TolerationOperator {
    @JsonProperty("Exists")
    EXISTS,
    @JsonProperty("Equal")
    EQUAL;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return TolerationOperator.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
