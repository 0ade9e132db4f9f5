package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * A rate profile: constant; step to `peak` at `stepAt` for `stepDuration`; sine between `rate` and
 * `peak` with `period`; burst to `peak` for `burstDuration` every `period`.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RateSpec {
    @JsonPropertyDescription("Shape of the rate.")
    private RateProfile profile;

    @JsonPropertyDescription("Base rate, events per second.")
    @Min(0)
    private Double rate;

    @JsonPropertyDescription("Peak rate of step, sine and burst profiles.")
    @Min(0)
    private Double peak;

    @JsonPropertyDescription("When the step starts, from the job's start.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String stepAt;

    @JsonPropertyDescription("How long the step lasts (forever when absent).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String stepDuration;

    @JsonPropertyDescription("Period of the sine, or interval between bursts.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String period;

    @JsonPropertyDescription("Length of each burst.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String burstDuration;

    public RateProfile getProfile() {
        return profile;
    }

    public void setProfile(RateProfile profile) {
        this.profile = profile;
    }

    public Double getRate() {
        return rate;
    }

    public void setRate(Double rate) {
        this.rate = rate;
    }

    public Double getPeak() {
        return peak;
    }

    public void setPeak(Double peak) {
        this.peak = peak;
    }

    public String getStepAt() {
        return stepAt;
    }

    public void setStepAt(String stepAt) {
        this.stepAt = stepAt;
    }

    public String getStepDuration() {
        return stepDuration;
    }

    public void setStepDuration(String stepDuration) {
        this.stepDuration = stepDuration;
    }

    public String getPeriod() {
        return period;
    }

    public void setPeriod(String period) {
        this.period = period;
    }

    public String getBurstDuration() {
        return burstDuration;
    }

    public void setBurstDuration(String burstDuration) {
        this.burstDuration = burstDuration;
    }
}
