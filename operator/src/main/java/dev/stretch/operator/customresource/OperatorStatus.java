package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * One operator of the job as its ready pods report it (GET /v1/status): threads per pod and load summed or
 * maximised over pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorStatus {
    @JsonPropertyDescription("Operator name (the pipeline stage name).")
    private String name;

    @JsonPropertyDescription("Operator kind as the runtime reports it (source, window, sink...).")
    private String kind;

    @JsonPropertyDescription("Threads (instances) of this operator in each reporting pod, by pod name.")
    private Map<String, Integer> threads;

    @JsonPropertyDescription("Lowest thread count allowed per pod.")
    private Integer minThreads;

    @JsonPropertyDescription("Highest thread count allowed per pod.")
    private Integer maxThreads;

    @JsonPropertyDescription("Records per second entering the operator, summed over pods.")
    private Double inputRate;

    @JsonPropertyDescription("Records per second leaving the operator, summed over pods.")
    private Double outputRate;

    @JsonPropertyDescription("Busy fraction of the operator's threads in its busiest pod (0..1).")
    private Double busyRatio;

    @JsonPropertyDescription("Records waiting in the operator's input, summed over pods.")
    private Long backlog;

    @JsonPropertyDescription("Event-time lag of the operator in its most lagging pod, in milliseconds.")
    private Long eventTimeLagMs;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public Map<String, Integer> getThreads() {
        return threads;
    }

    public void setThreads(Map<String, Integer> threads) {
        this.threads = threads;
    }

    public Integer getMinThreads() {
        return minThreads;
    }

    public void setMinThreads(Integer minThreads) {
        this.minThreads = minThreads;
    }

    public Integer getMaxThreads() {
        return maxThreads;
    }

    public void setMaxThreads(Integer maxThreads) {
        this.maxThreads = maxThreads;
    }

    public Double getInputRate() {
        return inputRate;
    }

    public void setInputRate(Double inputRate) {
        this.inputRate = inputRate;
    }

    public Double getOutputRate() {
        return outputRate;
    }

    public void setOutputRate(Double outputRate) {
        this.outputRate = outputRate;
    }

    public Double getBusyRatio() {
        return busyRatio;
    }

    public void setBusyRatio(Double busyRatio) {
        this.busyRatio = busyRatio;
    }

    public Long getBacklog() {
        return backlog;
    }

    public void setBacklog(Long backlog) {
        this.backlog = backlog;
    }

    public Long getEventTimeLagMs() {
        return eventTimeLagMs;
    }

    public void setEventTimeLagMs(Long eventTimeLagMs) {
        this.eventTimeLagMs = eventTimeLagMs;
    }
}
