package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the job does with a bad record. */
public enum ErrorPolicy {
    @JsonProperty("Fail")
    FAIL,
    @JsonProperty("DeadLetter")
    DEAD_LETTER;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return ErrorPolicy.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
