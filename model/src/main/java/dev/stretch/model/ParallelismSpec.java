package dev.stretch.model;

import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Parallelism bounds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.pods) || !has(self.pods.initial)", message = "pods.initial is not used: the pod count is spec.replicas (default 1)")
public class ParallelismSpec {
    @JsonPropertyDescription("Threads per keyed operator in each pod.")
    private Bounds threads;

    @JsonPropertyDescription("Bounds of the job's pod count (spec.replicas is clamped to them); pods.initial is not used.")
    private Bounds pods;

    public Bounds getThreads() {
        return threads;
    }

    public void setThreads(Bounds threads) {
        this.threads = threads;
    }

    public Bounds getPods() {
        return pods;
    }

    public void setPods(Bounds pods) {
        this.pods = pods;
    }
}
