package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The band of busy fraction inside which nothing changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.low) || !has(self.high) || self.low < self.high", message = "low must be < high")
public class UtilizationBand {
    @JsonPropertyDescription("Below it, scale down.")
    @Min(0)
    @Max(1)
    private Double low;

    @JsonPropertyDescription("Above it, scale up.")
    @Min(0)
    @Max(1)
    private Double high;

    public Double getLow() {
        return low;
    }

    public void setLow(Double low) {
        this.low = low;
    }

    public Double getHigh() {
        return high;
    }

    public void setHigh(Double high) {
        this.high = high;
    }
}
