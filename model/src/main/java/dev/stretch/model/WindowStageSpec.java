package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Keyed window aggregation over event time: one output record per key and window, with fields
 * {<keyBy>, window_start, window_end, <as>}. With {@code keyByEach} instead of {@code keyBy}, a record
 * belongs to several keys (the elements of a list field) and counts once for each distinct one; the
 * output's key field is then {@code <keyByEach>}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WindowStageSpec {
    @JsonPropertyDescription("Field to group by.")
    private String keyBy;

    @JsonPropertyDescription("Instead of keyBy: a list field whose elements are the record's keys (a post's hashtags, the cells an object touches); the record counts once for each distinct element. A field that is not a list is one key.")
    private String keyByEach;

    @JsonPropertyDescription("Window size, e.g. 10s.")
    @Required
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String size;

    @JsonPropertyDescription("Window slide for sliding windows (default: size, i.e. tumbling).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String slide;

    @JsonPropertyDescription("The aggregation.")
    @Required
    private AggregateSpec aggregate;

    @JsonPropertyDescription("CPU work added to every record this operator aggregates (busy computation, not sleep), e.g. 10us: a stand-in for real per-record work (parsing, enrichment, scoring) when trying out the autoscaler on built-in aggregations, which cost well under a microsecond. Default: none.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(us|ms|s))+$")
    private String simulatedWork;

    @JsonPropertyDescription("Initial threads of this operator (default: parallelism.threads.initial).")
    @Min(1)
    private Integer parallelism;

    @JsonPropertyDescription("Key groups of this operator (default: engine.maxKeyGroups).")
    @Min(1)
    @Max(32768)
    private Integer maxKeyGroups;

    public String getKeyBy() {
        return keyBy;
    }

    public void setKeyBy(String keyBy) {
        this.keyBy = keyBy;
    }

    public String getKeyByEach() {
        return keyByEach;
    }

    public void setKeyByEach(String keyByEach) {
        this.keyByEach = keyByEach;
    }

    /** The key field: keyBy, or keyByEach for a multi-key window. */
    public String keyField() {
        return keyBy != null ? keyBy : keyByEach;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getSlide() {
        return slide;
    }

    public void setSlide(String slide) {
        this.slide = slide;
    }

    public AggregateSpec getAggregate() {
        return aggregate;
    }

    public void setAggregate(AggregateSpec aggregate) {
        this.aggregate = aggregate;
    }

    public String getSimulatedWork() {
        return simulatedWork;
    }

    public void setSimulatedWork(String simulatedWork) {
        this.simulatedWork = simulatedWork;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public Integer getMaxKeyGroups() {
        return maxKeyGroups;
    }

    public void setMaxKeyGroups(Integer maxKeyGroups) {
        this.maxKeyGroups = maxKeyGroups;
    }
}
