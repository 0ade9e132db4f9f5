package dev.stretch.model;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Keeps records for which the expression is true.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FilterSpec {
    @JsonPropertyDescription("A CEL boolean expression over the record's fields, e.g. `value > 10 && region == \"eu\"`.")
    @Required
    @Size(min = 1)
    private String expression;

    public String getExpression() {
        return expression;
    }

    public void setExpression(String expression) {
        this.expression = expression;
    }
}
