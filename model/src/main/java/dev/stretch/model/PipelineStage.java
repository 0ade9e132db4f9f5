package dev.stretch.model;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * One stage of a declarative pipeline: exactly one of source, map, filter, window, join, sink.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.source), has(self.map), has(self.filter), has(self.window), has(self.join), has(self.sink)].filter(x, x).size() == 1", message = "set exactly one of source, map, filter, window, join and sink")
public class PipelineStage {
    @JsonPropertyDescription("Stage name, unique in the job; appears in metrics and errors.")
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 63)
    private String name;

    @JsonPropertyDescription("Name of the stage this stage reads, as a one-element list (default: the stage before it). A join names its inputs in join.left and join.right.")
    @Size(min = 1, max = 1)
    private List<String> from;

    @JsonPropertyDescription("Produces records.")
    private SourceSpec source;

    @JsonPropertyDescription("Computes fields of each record with CEL expressions.")
    private MapSpec map;

    @JsonPropertyDescription("Keeps the records for which a CEL expression is true.")
    private FilterSpec filter;

    @JsonPropertyDescription("Keyed window aggregation.")
    private WindowStageSpec window;

    @JsonPropertyDescription("Join of two stages: on equal keys in windows, or (band, predicate) on a non-equi condition within a time bound.")
    private JoinSpec join;

    @JsonPropertyDescription("Writes records out.")
    private SinkSpec sink;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getFrom() {
        return from;
    }

    public void setFrom(List<String> from) {
        this.from = from;
    }

    public SourceSpec getSource() {
        return source;
    }

    public void setSource(SourceSpec source) {
        this.source = source;
    }

    public MapSpec getMap() {
        return map;
    }

    public void setMap(MapSpec map) {
        this.map = map;
    }

    public FilterSpec getFilter() {
        return filter;
    }

    public void setFilter(FilterSpec filter) {
        this.filter = filter;
    }

    public WindowStageSpec getWindow() {
        return window;
    }

    public void setWindow(WindowStageSpec window) {
        this.window = window;
    }

    public JoinSpec getJoin() {
        return join;
    }

    public void setJoin(JoinSpec join) {
        this.join = join;
    }

    public SinkSpec getSink() {
        return sink;
    }

    public void setSink(SinkSpec sink) {
        this.sink = sink;
    }
}
