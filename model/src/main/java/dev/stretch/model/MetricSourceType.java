package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where autoscaling metrics come from. */
public enum MetricSourceType {
    @JsonProperty("direct")
    DIRECT,
    @JsonProperty("prometheus")
    PROMETHEUS;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return MetricSourceType.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
