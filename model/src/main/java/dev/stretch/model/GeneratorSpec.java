package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * A seeded synthetic source of records {ts, key, value}: keys uniform or Zipf-skewed, rate following a
 * profile.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GeneratorSpec {
    @JsonPropertyDescription("Random seed; the same seed gives the same records.")
    private Long seed;

    @JsonPropertyDescription("Number of distinct keys.")
    @Min(1)
    private Integer keys;

    @JsonPropertyDescription("Zipf exponent of the key distribution; 0 means uniform.")
    @Min(0)
    @Max(5)
    private Double skew;

    @JsonPropertyDescription("Values are drawn uniformly from [0, valueMax).")
    @Min(1)
    private Long valueMax;

    @JsonPropertyDescription("Events per second over time.")
    private RateSpec rate;

    @JsonPropertyDescription("Stop after this many records in total (unbounded when absent).")
    @Min(0)
    private Long limit;

    @JsonPropertyDescription("Emit on the rate schedule in real time (default), or as fast as possible with the same timestamps.")
    private Boolean paced;

    @JsonPropertyDescription("Event time of the first record in epoch ms (default: the job's start).")
    private Long startTime;

    public Long getSeed() {
        return seed;
    }

    public void setSeed(Long seed) {
        this.seed = seed;
    }

    public Integer getKeys() {
        return keys;
    }

    public void setKeys(Integer keys) {
        this.keys = keys;
    }

    public Double getSkew() {
        return skew;
    }

    public void setSkew(Double skew) {
        this.skew = skew;
    }

    public Long getValueMax() {
        return valueMax;
    }

    public void setValueMax(Long valueMax) {
        this.valueMax = valueMax;
    }

    public RateSpec getRate() {
        return rate;
    }

    public void setRate(RateSpec rate) {
        this.rate = rate;
    }

    public Long getLimit() {
        return limit;
    }

    public void setLimit(Long limit) {
        this.limit = limit;
    }

    public Boolean getPaced() {
        return paced;
    }

    public void setPaced(Boolean paced) {
        this.paced = paced;
    }

    public Long getStartTime() {
        return startTime;
    }

    public void setStartTime(Long startTime) {
        this.startTime = startTime;
    }
}
