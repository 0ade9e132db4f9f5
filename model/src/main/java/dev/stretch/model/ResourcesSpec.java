package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * Compute resources of each pod, as Kubernetes quantities (cpu: "2", memory: "2Gi").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
    private static final java.util.regex.Pattern QUANTITY_PATH =
            java.util.regex.Pattern.compile("spec\\.resources\\.(requests|limits)\\.[^.]+");

    /** Whether a document path is one of a job's resource quantities ({@code spec.resources.requests.cpu}). */
    static boolean isQuantityPath(String path) {
        return QUANTITY_PATH.matcher(path).matches();
    }

    /**
     * A non-negative Kubernetes quantity as a string ({@code 500m}, {@code 2}, {@code 1.5}, {@code 1Gi}, {@code 1e3});
     * the CRD and the validator use the same pattern. Whole numbers may also be written as YAML numbers.
     */
    public static final String QUANTITY_PATTERN =
            "^(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE]\\+?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    @JsonPropertyDescription("Requested resources, e.g. {cpu: 500m, memory: 1Gi}. Default {cpu: 500m, memory: 1Gi}.")
    private Map<String, String> requests;

    @JsonPropertyDescription("Resource limits, e.g. {cpu: 2, memory: 1Gi}. Default {cpu: 2, memory: 1Gi}.")
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
