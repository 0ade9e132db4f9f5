package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Parallelism bounds.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ParallelismSpec {
    @JsonPropertyDescription("Threads per keyed operator in each pod.")
    private Bounds threads;

    @JsonPropertyDescription("Pods of the job.")
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
