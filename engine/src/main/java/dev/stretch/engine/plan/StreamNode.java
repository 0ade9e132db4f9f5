package dev.stretch.engine.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * One operator of a job as the API builds it, before planning. Internal: users see it only through
 * {@code DataStream} and friends.
 */
public abstract class StreamNode {
    private final int id;
    private final List<StreamNode> inputs;
    private final List<StreamNode> outputs = new ArrayList<>();
    private String name;
    private int parallelism = -1;

    protected StreamNode(int id, String defaultName, List<StreamNode> inputs) {
        this.id = id;
        this.name = defaultName;
        this.inputs = List.copyOf(inputs);
        for (StreamNode in : inputs) {
            in.outputs.add(this);
        }
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public void name(String n) {
        if (n == null || n.isBlank()) {
            throw new IllegalArgumentException("operator name must not be blank");
        }
        this.name = n;
    }

    /** Instances requested for this operator, or -1 for the job default. */
    public int parallelism() {
        return parallelism;
    }

    public void parallelism(int p) {
        if (p < 1) {
            throw new IllegalArgumentException("parallelism of '" + name + "' must be >= 1, was " + p);
        }
        this.parallelism = p;
    }

    public List<StreamNode> inputs() {
        return inputs;
    }

    public List<StreamNode> outputs() {
        return outputs;
    }

    /** Whether this node runs inside the stage of its input (map, filter, flatMap). */
    public boolean isChained() {
        return false;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ")";
    }
}
