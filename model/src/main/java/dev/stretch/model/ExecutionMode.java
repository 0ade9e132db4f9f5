package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the instances of a keyed operator share work (see the engine). */
public enum ExecutionMode {
    @JsonProperty("VSN")
    VSN,
    @JsonProperty("SN")
    SN;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return ExecutionMode.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
