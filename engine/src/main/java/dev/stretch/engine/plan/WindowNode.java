package dev.stretch.engine.plan;

import dev.stretch.api.Windows;
import java.util.List;

/**
 * A keyed windowed stateful operator over one or two inputs: the general operator of which aggregate
 * and join are special cases. A theta join ({@link WindowLogic#thetaJoin()}) has no keys
 * ({@link KeySpec#none()}) and no windows ({@code null}): its key groups are the buckets that store its
 * elements round robin.
 */
public final class WindowNode extends StreamNode {
    private final List<KeySpec> keys;
    private final Windows windows;
    private final WindowLogic logic;
    private int maxKeyGroups = -1;

    public WindowNode(int id, String name, List<StreamNode> inputs, List<KeySpec> keys, Windows windows,
            WindowLogic logic) {
        super(id, name, inputs);
        if (keys.size() != inputs.size()) {
            throw new IllegalArgumentException("one key per input");
        }
        if (keys.size() == 2 && keys.get(0).isLong() != keys.get(1).isLong()) {
            throw new IllegalArgumentException("both sides of '" + name + "' must use the same kind of key "
                    + "(long keys on both sides, or object keys on both sides)");
        }
        if (keys.size() == 2 && (keys.get(0).isMulti() || keys.get(1).isMulti())) {
            throw new IllegalArgumentException("'" + name + "': a window join takes one key per element on each side");
        }
        this.keys = List.copyOf(keys);
        this.windows = windows;
        this.logic = logic;
    }

    public List<KeySpec> keys() {
        return keys;
    }

    public Windows windows() {
        return windows;
    }

    public WindowLogic logic() {
        return logic;
    }

    public boolean longKeys() {
        return keys.get(0).isLong();
    }

    /** Key groups of this operator, or -1 for the job's default. */
    public int maxKeyGroups() {
        return maxKeyGroups;
    }

    public void maxKeyGroups(int n) {
        if (n < 1 || n > 32768) {
            throw new IllegalArgumentException("max parallelism (key groups) of '" + name() + "' must be in [1, 32768], was " + n);
        }
        this.maxKeyGroups = n;
    }
}
