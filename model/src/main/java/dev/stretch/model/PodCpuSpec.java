package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * How the operator may resize a pod's CPU in place ({@code pods/resize}, Kubernetes 1.33+), and how many operator
 * threads a core feeds: the second scaling step, after threads and before pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minCores) || !has(self.maxCores) || self.minCores <= self.maxCores",
        message = "minCores must be <= maxCores")
public class PodCpuSpec {
    @JsonPropertyDescription("Resize the pods' CPU in place (default true). False: CPU stays as created, more load means more pods.")
    private Boolean inPlace;

    @JsonPropertyDescription("Smallest CPU limit per pod the autoscaler sets, in cores (default 0.5).")
    @Min(0.01)
    @Max(1024)
    private Double minCores;

    @JsonPropertyDescription("Largest CPU limit per pod the autoscaler sets, in cores (default: the pod's CPU limit, so no resize unless raised).")
    @Min(0.01)
    @Max(1024)
    private Double maxCores;

    @JsonPropertyDescription("CPU sizes are multiples of this, in cores (default 0.5).")
    @Min(0.01)
    @Max(64)
    private Double stepCores;

    @JsonPropertyDescription("Keyed-operator threads one core keeps usefully busy (default 1): a pod of c cores runs at most c x threadsPerCore of them.")
    @Min(0.1)
    @Max(64)
    private Double threadsPerCore;

    public Boolean getInPlace() {
        return inPlace;
    }

    public void setInPlace(Boolean inPlace) {
        this.inPlace = inPlace;
    }

    public Double getMinCores() {
        return minCores;
    }

    public void setMinCores(Double minCores) {
        this.minCores = minCores;
    }

    public Double getMaxCores() {
        return maxCores;
    }

    public void setMaxCores(Double maxCores) {
        this.maxCores = maxCores;
    }

    public Double getStepCores() {
        return stepCores;
    }

    public void setStepCores(Double stepCores) {
        this.stepCores = stepCores;
    }

    public Double getThreadsPerCore() {
        return threadsPerCore;
    }

    public void setThreadsPerCore(Double threadsPerCore) {
        this.threadsPerCore = threadsPerCore;
    }
}
