package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * Compute resources of each pod, as Kubernetes quantities (cpu: "2", memory: "2Gi").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
    @JsonPropertyDescription("Requested resources.")
    private Map<String, String> requests;

    @JsonPropertyDescription("Resource limits.")
    private Map<String, String> limits;

    public Map<String, String> getRequests() {
        return requests;
    }

    public void setRequests(Map<String, String> requests) {
        this.requests = requests;
    }

    public Map<String, String> getLimits() {
        return limits;
    }

    public void setLimits(Map<String, String> limits) {
        this.limits = limits;
    }
}
