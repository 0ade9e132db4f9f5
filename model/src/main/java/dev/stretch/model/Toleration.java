package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A Kubernetes toleration.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Toleration {
    @JsonPropertyDescription("Taint key.")
    private String key;

    @JsonPropertyDescription("Exists or Equal.")
    private TolerationOperator operator;

    @JsonPropertyDescription("Taint value (Equal).")
    private String value;

    @JsonPropertyDescription("Taint effect.")
    private TaintEffect effect;

    @JsonPropertyDescription("How long a NoExecute taint is tolerated.")
    private Long tolerationSeconds;

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public TolerationOperator getOperator() {
        return operator;
    }

    public void setOperator(TolerationOperator operator) {
        this.operator = operator;
    }

    public String getValue() {
        return value;
    }

    public void setValue(String value) {
        this.value = value;
    }

    public TaintEffect getEffect() {
        return effect;
    }

    public void setEffect(TaintEffect effect) {
        this.effect = effect;
    }

    public Long getTolerationSeconds() {
        return tolerationSeconds;
    }

    public void setTolerationSeconds(Long tolerationSeconds) {
        this.tolerationSeconds = tolerationSeconds;
    }
}
