package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the job does with a record that arrives behind its source's watermark. */
public enum LateRecords {
    @JsonProperty("Drop")
    DROP,
    @JsonProperty("DeadLetter")
    DEAD_LETTER;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return LateRecords.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
