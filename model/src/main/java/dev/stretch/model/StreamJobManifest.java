package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A whole StreamJob document as a user writes it: {@code apiVersion: stretch.dev/v1alpha1},
 * {@code kind: StreamJob}, metadata and spec. The same YAML goes to {@code kubectl apply} and to
 * {@code stretch run}. (The operator has its own custom-resource class over the same {@link StreamJobSpec}.)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(value = {"status"}, ignoreUnknown = false)
public class StreamJobManifest {
    public static final String API_VERSION = "stretch.dev/v1alpha1";
    public static final String KIND = "StreamJob";

    private String apiVersion;
    private String kind;
    private ObjectMetadata metadata;
    private StreamJobSpec spec;

    public String getApiVersion() {
        return apiVersion;
    }

    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public ObjectMetadata getMetadata() {
        return metadata;
    }

    public void setMetadata(ObjectMetadata metadata) {
        this.metadata = metadata;
    }

    public StreamJobSpec getSpec() {
        return spec;
    }

    public void setSpec(StreamJobSpec spec) {
        this.spec = spec;
    }

    /** The job's name, or "job" when the document has none. */
    public String name() {
        return metadata != null && metadata.getName() != null ? metadata.getName() : "job";
    }
}
