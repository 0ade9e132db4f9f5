package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a Kafka record's key or value is encoded. */
public enum KafkaFormat {
    /** A JSON object whose fields become the record's fields. */
    @JsonProperty("json")
    JSON,
    /** One CSV line whose values, in the order of {@code columns}, become the record's fields. */
    @JsonProperty("csv")
    CSV,
    /** UTF-8 text held whole in one field. */
    @JsonProperty("raw")
    RAW;

    public String wireName() {
        try {
            return KafkaFormat.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
