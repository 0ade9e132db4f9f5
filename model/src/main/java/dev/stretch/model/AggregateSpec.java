package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A built-in aggregation.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AggregateSpec {
    @JsonPropertyDescription("count, sum, min, max or avg.")
    @Required
    private AggregateFunctionName function;

    @JsonPropertyDescription("Numeric field aggregated (not for count).")
    private String field;

    @JsonPropertyDescription("Name of the result field (default: the function name).")
    @JsonProperty("as")
    private String asName;

    public AggregateFunctionName getFunction() {
        return function;
    }

    public void setFunction(AggregateFunctionName function) {
        this.function = function;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    @JsonProperty("as")
    public String getAsName() {
        return asName;
    }

    @JsonProperty("as")
    public void setAsName(String asName) {
        this.asName = asName;
    }
}
