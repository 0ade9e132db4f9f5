package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Overrides applied to the job's pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodTemplateSpec {
    @JsonPropertyDescription("Extra pod labels.")
    private Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations.")
    private Map<String, String> annotations;

    @JsonPropertyDescription("Node selector.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Service account of the pods.")
    private String serviceAccountName;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }
}
