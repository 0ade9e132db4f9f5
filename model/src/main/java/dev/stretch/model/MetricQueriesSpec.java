package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/**
 * PromQL queries of a {@code prometheus} metric source, one per metric the autoscaler uses, each answering one
 * series per operator (label {@code operator}). Unset ones are built from the runtime's metric names. In a query,
 * {@code $job} and {@code $namespace} stand for the StreamJob's name and namespace, {@code $window} for the rate
 * window.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricQueriesSpec {
    @JsonPropertyDescription("Tuples per second processed per operator, summed over pods. Default: sum by (operator) (irate(stretch_operator_tuples_in_total{job=\"$job\",namespace=\"$namespace\"}[$window])).")
    @Size(max = 2048)
    private String processedRate;

    @JsonPropertyDescription("Busy fraction per operator, averaged over pods. Default: avg by (operator) (stretch_operator_busy_ratio{...}).")
    @Size(max = 2048)
    private String busyRatio;

    @JsonPropertyDescription("Tuples waiting per operator, summed over pods. Default: sum by (operator) (stretch_operator_backlog_tuples{...}).")
    @Size(max = 2048)
    private String backlog;

    @JsonPropertyDescription("Event-time lag per operator in seconds, largest over pods. Default: max by (operator) (stretch_operator_event_time_lag_seconds{...}).")
    @Size(max = 2048)
    private String eventTimeLag;

    @JsonPropertyDescription("Threads per operator, summed over pods. Default: sum by (operator) (stretch_operator_instances{...}).")
    @Size(max = 2048)
    private String threads;

    public String getProcessedRate() {
        return processedRate;
    }

    public void setProcessedRate(String processedRate) {
        this.processedRate = processedRate;
    }

    public String getBusyRatio() {
        return busyRatio;
    }

    public void setBusyRatio(String busyRatio) {
        this.busyRatio = busyRatio;
    }

    public String getBacklog() {
        return backlog;
    }

    public void setBacklog(String backlog) {
        this.backlog = backlog;
    }

    public String getEventTimeLag() {
        return eventTimeLag;
    }

    public void setEventTimeLag(String eventTimeLag) {
        this.eventTimeLag = eventTimeLag;
    }

    public String getThreads() {
        return threads;
    }

    public void setThreads(String threads) {
        this.threads = threads;
    }
}
