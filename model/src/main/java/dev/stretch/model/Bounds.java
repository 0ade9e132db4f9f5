package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A lower bound, an upper bound and a starting value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max", message = "min must be <= max")
@ValidationRule(value = "!has(self.initial) || ((!has(self.min) || self.min <= self.initial) && (!has(self.max) || self.initial <= self.max))", message = "initial must be within [min, max]")
public class Bounds {
    @JsonPropertyDescription("Lower bound.")
    @Min(1)
    private Integer min;

    @JsonPropertyDescription("Upper bound.")
    @Min(1)
    private Integer max;

    @JsonPropertyDescription("Starting value.")
    @Min(1)
    private Integer initial;

    public Integer getMin() {
        return min;
    }

    public void setMin(Integer min) {
        this.min = min;
    }

    public Integer getMax() {
        return max;
    }

    public void setMax(Integer max) {
        this.max = max;
    }

    public Integer getInitial() {
        return initial;
    }

    public void setInitial(Integer initial) {
        this.initial = initial;
    }
}
