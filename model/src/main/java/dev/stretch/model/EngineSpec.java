package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Engine settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EngineSpec {
    @JsonPropertyDescription("VSN (default: shared state, instant rescaling) or SN (shared-nothing baseline).")
    private ExecutionMode mode;

    @JsonPropertyDescription("Key groups per keyed operator (default 128): the unit of state ownership and the most threads an operator can have.")
    @Min(1)
    @Max(32768)
    private Integer maxKeyGroups;

    @JsonPropertyDescription("Fail (default): a bad record stops the job with an error naming it. DeadLetter: it goes to the dead-letter sink and the job goes on.")
    private ErrorPolicy errorPolicy;

    @JsonPropertyDescription("Drop (default): a record that arrives behind its source's watermark is counted and left out. DeadLetter: it is counted and goes to the dead-letter output too, whatever errorPolicy says.")
    private LateRecords lateRecords;

    @JsonPropertyDescription("Where dead letters go (default: standard error).")
    private SinkSpec deadLetter;

    @JsonPropertyDescription("Tuples per batch between operators (default 1024).")
    @Min(1)
    @Max(65536)
    private Integer batchSize;

    public ExecutionMode getMode() {
        return mode;
    }

    public void setMode(ExecutionMode mode) {
        this.mode = mode;
    }

    public Integer getMaxKeyGroups() {
        return maxKeyGroups;
    }

    public void setMaxKeyGroups(Integer maxKeyGroups) {
        this.maxKeyGroups = maxKeyGroups;
    }

    public ErrorPolicy getErrorPolicy() {
        return errorPolicy;
    }

    public void setErrorPolicy(ErrorPolicy errorPolicy) {
        this.errorPolicy = errorPolicy;
    }

    public LateRecords getLateRecords() {
        return lateRecords;
    }

    public void setLateRecords(LateRecords lateRecords) {
        this.lateRecords = lateRecords;
    }

    public SinkSpec getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(SinkSpec deadLetter) {
        this.deadLetter = deadLetter;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }
}
