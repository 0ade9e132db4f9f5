package dev.stretch.engine.plan;

import dev.stretch.api.JobConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The operators of a job and its settings, as built by the API. */
public final class JobGraph {
    private final String name;
    private final JobConfig config;
    private final List<StreamNode> nodes;

    public JobGraph(String name, JobConfig config, List<StreamNode> nodes) {
        this.name = name;
        this.config = config;
        this.nodes = List.copyOf(nodes);
        validate();
    }

    public String name() {
        return name;
    }

    public JobConfig config() {
        return config;
    }

    public List<StreamNode> nodes() {
        return nodes;
    }

    private void validate() {
        List<String> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean hasSink = false;
        for (StreamNode n : nodes) {
            if (!names.add(n.name())) {
                errors.add("operator name '" + n.name() + "' is used twice; names must be unique in a job");
            }
            if (n instanceof SinkNode) {
                hasSink = true;
            }
            if (!(n instanceof SinkNode) && n.outputs().isEmpty()) {
                errors.add("the output of '" + n.name() + "' goes nowhere; add a sink or remove it");
            }
            if (n instanceof WindowNode w && w.maxKeyGroups() > 0 && n.parallelism() > w.maxKeyGroups()) {
                errors.add("parallelism of '" + n.name() + "' (" + n.parallelism() + ") exceeds its key groups ("
                        + w.maxKeyGroups() + ")");
            }
        }
        if (!hasSink) {
            errors.add("the job has no sink");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid job '" + name + "': " + String.join("; ", errors));
        }
    }
}
