package dev.stretch.model;

import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * Computes fields of each record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.set) && size(self.set) > 0) || (has(self.drop) && size(self.drop) > 0)", message = "sets or drops nothing; give 'set' (field: expression) or 'drop'")
public class MapSpec {
    @JsonPropertyDescription("Field name to CEL expression over the record's fields, e.g. `amount_eur: \"amount * 0.92\"`.")
    private Map<String, String> set;

    @JsonPropertyDescription("Fields to remove.")
    private List<String> drop;

    public Map<String, String> getSet() {
        return set;
    }

    public void setSet(Map<String, String> set) {
        this.set = set;
    }

    public List<String> getDrop() {
        return drop;
    }

    public void setDrop(List<String> drop) {
        this.drop = drop;
    }
}
