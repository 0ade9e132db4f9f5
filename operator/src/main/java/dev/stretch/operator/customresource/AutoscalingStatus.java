package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the operator's autoscaler sees and decides for a job: the current and the recommended layout (threads per
 * operator in each pod, CPU per pod, pods), the last decision with its reason, and a short history of changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingStatus {
    @JsonPropertyDescription("Off, Recommend or Auto.")
    private String mode;

    @JsonPropertyDescription("direct or prometheus.")
    private String metricSource;

    @JsonPropertyDescription("Why no decision can be made now (metrics unreachable or empty); absent when metrics flow.")
    private String metricsUnavailable;

    @JsonPropertyDescription("Threads of each keyed operator in each pod, as measured.")
    private Map<String, Integer> threads;

    @JsonPropertyDescription("Threads of each keyed operator in each pod the autoscaler recommends.")
    private Map<String, Integer> recommendedThreads;

    @JsonPropertyDescription("CPU limit of each pod in cores, as the autoscaler set it (re-applied to recreated pods).")
    private Double podCpuCores;

    @JsonPropertyDescription("CPU per pod in cores the autoscaler recommends.")
    private Double recommendedPodCpuCores;

    @JsonPropertyDescription("Pods, as measured (ready pods reporting metrics).")
    private Integer pods;

    @JsonPropertyDescription("Pods the autoscaler recommends.")
    private Integer recommendedPods;

    @JsonPropertyDescription("Why pod CPU is not resized in place (the cluster refused, or left a resize Deferred or Infeasible); absent while it is.")
    private String cpuResizeUnavailable;

    @JsonPropertyDescription("Pods whose threads a manual PUT /v1/parallelism holds (pod -> what, until when): no thread decision is made for them until then.")
    private Map<String, String> manualHolds;

    @JsonPropertyDescription("The last decision that differed from the one before.")
    private AutoscalingDecision lastDecision;

    @JsonPropertyDescription("The last changes carried out or recommended, newest last (at most 10).")
    private List<AutoscalingDecision> history = new ArrayList<>();

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public String getMetricSource() {
        return metricSource;
    }

    public void setMetricSource(String metricSource) {
        this.metricSource = metricSource;
    }

    public String getMetricsUnavailable() {
        return metricsUnavailable;
    }

    public void setMetricsUnavailable(String metricsUnavailable) {
        this.metricsUnavailable = metricsUnavailable;
    }

    public Map<String, Integer> getThreads() {
        return threads;
    }

    public void setThreads(Map<String, Integer> threads) {
        this.threads = threads;
    }

    public Map<String, Integer> getRecommendedThreads() {
        return recommendedThreads;
    }

    public void setRecommendedThreads(Map<String, Integer> recommendedThreads) {
        this.recommendedThreads = recommendedThreads;
    }

    public Double getPodCpuCores() {
        return podCpuCores;
    }

    public void setPodCpuCores(Double podCpuCores) {
        this.podCpuCores = podCpuCores;
    }

    public Double getRecommendedPodCpuCores() {
        return recommendedPodCpuCores;
    }

    public void setRecommendedPodCpuCores(Double recommendedPodCpuCores) {
        this.recommendedPodCpuCores = recommendedPodCpuCores;
    }

    public Integer getPods() {
        return pods;
    }

    public void setPods(Integer pods) {
        this.pods = pods;
    }

    public Integer getRecommendedPods() {
        return recommendedPods;
    }

    public void setRecommendedPods(Integer recommendedPods) {
        this.recommendedPods = recommendedPods;
    }

    public String getCpuResizeUnavailable() {
        return cpuResizeUnavailable;
    }

    public void setCpuResizeUnavailable(String cpuResizeUnavailable) {
        this.cpuResizeUnavailable = cpuResizeUnavailable;
    }

    public AutoscalingDecision getLastDecision() {
        return lastDecision;
    }

    public void setLastDecision(AutoscalingDecision lastDecision) {
        this.lastDecision = lastDecision;
    }

    public List<AutoscalingDecision> getHistory() {
        return history;
    }

    public void setHistory(List<AutoscalingDecision> history) {
        this.history = history;
    }

    public Map<String, String> getManualHolds() {
        return manualHolds;
    }

    public void setManualHolds(Map<String, String> manualHolds) {
        this.manualHolds = manualHolds;
    }
}
