package dev.stretch.operator.customresource;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator observed of a job. {@code phase} is derived from the rest; conditions follow the
 * Kubernetes convention ({@code lastTransitionTime} moves only when a condition's status flips).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StreamJobStatus {
    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @PrinterColumn(name = "Phase")
    @JsonPropertyDescription("Pending, Running, Finished, Suspending, Suspended, Degraded, Failed or Paused; derived from the conditions.")
    private JobPhase phase;

    @PrinterColumn(name = "Pods")
    @JsonPropertyDescription("Ready pods / desired pods, e.g. 2/3.")
    private String pods;

    @StatusReplicas
    @JsonPropertyDescription("Pods that exist (the scale subresource's status.replicas).")
    private Integer replicas;

    @JsonPropertyDescription("Pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Pods the operator wants: spec.replicas clamped to spec.parallelism.pods, 0 when suspended.")
    private Integer desiredReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the job's pods (for the scale subresource, HPA and KEDA).")
    private String selector;

    @PrinterColumn(name = "Threads")
    @JsonPropertyDescription("Total threads of the job's widest keyed operator, summed over reporting pods.")
    private Integer threads;

    @PrinterColumn(name = "Input-Rate")
    @JsonPropertyDescription("Records per second read by the job's sources, summed over reporting pods.")
    private Double inputRate;

    @PrinterColumn(name = "Lag-Ms")
    @JsonPropertyDescription("Largest event-time lag of any operator in any reporting pod, in milliseconds.")
    private Long eventTimeLagMs;

    @JsonPropertyDescription("Per operator: threads in each pod and load, from the pods' GET /v1/status.")
    private List<OperatorStatus> operators;

    @JsonPropertyDescription("Ready pods whose GET /v1/status did not answer at the last observation.")
    private List<String> unreachablePods;

    @JsonPropertyDescription("When the pods were last asked for their status (RFC 3339).")
    private String metricsTime;

    @PrinterColumn(name = "CPU")
    @JsonPropertyDescription("CPU limit per pod in cores, as the autoscaler set it in place (absent: as created).")
    private Double podCpuCores;

    @PrinterColumn(name = "Scaling")
    @JsonPropertyDescription("The autoscaler's last decision (reason code), e.g. AddThreads, RaisePodCpu, AddPods, NoChange, MetricsUnavailable.")
    private String scaling;

    @JsonPropertyDescription("The operator's autoscaler: current and recommended layout, last decision and history.")
    private AutoscalingStatus autoscaling;

    @JsonPropertyDescription("The last change of the pod count and its reason.")
    private ScalingDecision lastScalingDecision;

    @JsonPropertyDescription("Why the job is not healthy (invalid spec, reconcile error, failing pods); empty when it is.")
    private String error;

    @JsonPropertyDescription("Ready, Scaling, Degraded and ReconciliationPaused.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public JobPhase getPhase() {
        return phase;
    }

    public void setPhase(JobPhase phase) {
        this.phase = phase;
    }

    public String getPods() {
        return pods;
    }

    public void setPods(String pods) {
        this.pods = pods;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getDesiredReplicas() {
        return desiredReplicas;
    }

    public void setDesiredReplicas(Integer desiredReplicas) {
        this.desiredReplicas = desiredReplicas;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }

    public Double getInputRate() {
        return inputRate;
    }

    public void setInputRate(Double inputRate) {
        this.inputRate = inputRate;
    }

    public Long getEventTimeLagMs() {
        return eventTimeLagMs;
    }

    public void setEventTimeLagMs(Long eventTimeLagMs) {
        this.eventTimeLagMs = eventTimeLagMs;
    }

    public List<OperatorStatus> getOperators() {
        return operators;
    }

    public void setOperators(List<OperatorStatus> operators) {
        this.operators = operators;
    }

    public List<String> getUnreachablePods() {
        return unreachablePods;
    }

    public void setUnreachablePods(List<String> unreachablePods) {
        this.unreachablePods = unreachablePods;
    }

    public String getMetricsTime() {
        return metricsTime;
    }

    public void setMetricsTime(String metricsTime) {
        this.metricsTime = metricsTime;
    }

    public ScalingDecision getLastScalingDecision() {
        return lastScalingDecision;
    }

    public void setLastScalingDecision(ScalingDecision lastScalingDecision) {
        this.lastScalingDecision = lastScalingDecision;
    }

    public String getError() {
        return error;
    }

    public void setError(String error) {
        this.error = error;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Double getPodCpuCores() {
        return podCpuCores;
    }

    public void setPodCpuCores(Double podCpuCores) {
        this.podCpuCores = podCpuCores;
    }

    public String getScaling() {
        return scaling;
    }

    public void setScaling(String scaling) {
        this.scaling = scaling;
    }

    public AutoscalingStatus getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(AutoscalingStatus autoscaling) {
        this.autoscaling = autoscaling;
    }
}
