package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A built-in window aggregation. */
public enum AggregateFunctionName {
    @JsonProperty("count")
    COUNT,
    @JsonProperty("sum")
    SUM,
    @JsonProperty("min")
    MIN,
    @JsonProperty("max")
    MAX,
    @JsonProperty("avg")
    AVG;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return AggregateFunctionName.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
