package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Text encoding of records in files and on stdout. */
public enum RecordFormat {
    @JsonProperty("jsonl")
    JSONL,
    @JsonProperty("csv")
    CSV,
    @JsonProperty("text")
    TEXT;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return RecordFormat.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
