package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Kubernetes image pull policy. */
public enum ImagePullPolicy {
    @JsonProperty("Always")
    ALWAYS,
    @JsonProperty("IfNotPresent")
    IF_NOT_PRESENT,
    @JsonProperty("Never")
    NEVER;

    /** The name used in job documents. */
    public String wireName() {
        try {
            return ImagePullPolicy.class.getField(name()).getAnnotation(JsonProperty.class).value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
