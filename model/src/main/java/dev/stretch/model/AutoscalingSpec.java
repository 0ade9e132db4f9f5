package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Autoscaling policy: keep each operator's utilisation inside a band around a target, adding threads
 * inside pods first and pods only when threads are exhausted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingSpec {
    @JsonPropertyDescription("Off, Recommend (decide and report, do not act) or Auto.")
    private AutoscalingMode mode;

    @JsonPropertyDescription("Busy fraction the autoscaler aims for after a change (default 0.7).")
    @Min(0.05)
    @Max(1)
    private Double targetUtilization;

    @JsonPropertyDescription("No change while utilisation stays inside this band (default 0.45 to 0.9).")
    private UtilizationBand utilizationBand;

    @JsonPropertyDescription("Metrics are averaged over this window before a decision (default 5s).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String metricWindow;

    @JsonPropertyDescription("No new decision for this long after a change (default 10s).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String stabilization;

    @JsonPropertyDescription("Scale down only after it was recommended for this long (default 60s).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String scaleDownDelay;

    @JsonPropertyDescription("Where metrics come from (default: direct scrape of the pods).")
    private MetricSourceSpec metricSource;

    @JsonPropertyDescription("In-place CPU resize of the pods (second step, after threads) and threads per core.")
    private PodCpuSpec podCpu;

    @JsonPropertyDescription("Adding pods must be wanted this long before it is done (default 30s).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String podScaleUpDelay;

    @JsonPropertyDescription("Removing pods must be wanted this long before it is done (default 5m).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String podScaleDownDelay;

    @JsonPropertyDescription("Largest fraction of an operator's threads removed in one decision (default 0.5).")
    @Min(0.05)
    @Max(1)
    private Double maxScaleDownFactor;

    @JsonPropertyDescription("Daily periods in which nothing is changed, '[DAYS ]HH:MM-HH:MM' in UTC, e.g. 'Mon-Fri 08:00-10:00' (at most 16).")
    @Size(max = 16)
    private java.util.List<String> excludedPeriods;

    @JsonPropertyDescription("Let each process resize its own thread pools from its own metrics (in-process vertical scaling). Default: true for `stretch run`, false in pods, where the operator decides.")
    private Boolean inProcess;

    public AutoscalingMode getMode() {
        return mode;
    }

    public void setMode(AutoscalingMode mode) {
        this.mode = mode;
    }

    public Double getTargetUtilization() {
        return targetUtilization;
    }

    public void setTargetUtilization(Double targetUtilization) {
        this.targetUtilization = targetUtilization;
    }

    public UtilizationBand getUtilizationBand() {
        return utilizationBand;
    }

    public void setUtilizationBand(UtilizationBand utilizationBand) {
        this.utilizationBand = utilizationBand;
    }

    public String getMetricWindow() {
        return metricWindow;
    }

    public void setMetricWindow(String metricWindow) {
        this.metricWindow = metricWindow;
    }

    public String getStabilization() {
        return stabilization;
    }

    public void setStabilization(String stabilization) {
        this.stabilization = stabilization;
    }

    public String getScaleDownDelay() {
        return scaleDownDelay;
    }

    public void setScaleDownDelay(String scaleDownDelay) {
        this.scaleDownDelay = scaleDownDelay;
    }

    public PodCpuSpec getPodCpu() {
        return podCpu;
    }

    public void setPodCpu(PodCpuSpec podCpu) {
        this.podCpu = podCpu;
    }

    public String getPodScaleUpDelay() {
        return podScaleUpDelay;
    }

    public void setPodScaleUpDelay(String podScaleUpDelay) {
        this.podScaleUpDelay = podScaleUpDelay;
    }

    public String getPodScaleDownDelay() {
        return podScaleDownDelay;
    }

    public void setPodScaleDownDelay(String podScaleDownDelay) {
        this.podScaleDownDelay = podScaleDownDelay;
    }

    public Double getMaxScaleDownFactor() {
        return maxScaleDownFactor;
    }

    public void setMaxScaleDownFactor(Double maxScaleDownFactor) {
        this.maxScaleDownFactor = maxScaleDownFactor;
    }

    public java.util.List<String> getExcludedPeriods() {
        return excludedPeriods;
    }

    public void setExcludedPeriods(java.util.List<String> excludedPeriods) {
        this.excludedPeriods = excludedPeriods;
    }

    public Boolean getInProcess() {
        return inProcess;
    }

    public void setInProcess(Boolean inProcess) {
        this.inProcess = inProcess;
    }

    public MetricSourceSpec getMetricSource() {
        return metricSource;
    }

    public void setMetricSource(MetricSourceSpec metricSource) {
        this.metricSource = metricSource;
    }
}
