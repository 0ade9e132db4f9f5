package dev.stretch.api;

import dev.stretch.engine.plan.WindowNode;

/**
 * The output of a keyed windowed operator: a stream, plus the setting only a keyed operator has, its
 * number of key groups ({@link #setMaxParallelism}).
 */
public final class WindowedOperator<T> extends DataStream<T> {
    WindowedOperator(StreamEnvironment env, WindowNode node) {
        super(env, node);
    }

    @Override
    public WindowedOperator<T> name(String name) {
        super.name(name);
        return this;
    }

    @Override
    public WindowedOperator<T> setParallelism(int parallelism) {
        super.setParallelism(parallelism);
        return this;
    }

    /**
     * Sets the operator's key groups (as Flink's max parallelism): fixed for the job's life, the unit of
     * state ownership and the most instances the operator can have.
     */
    public WindowedOperator<T> setMaxParallelism(int keyGroups) {
        ((WindowNode) node).maxKeyGroups(keyGroups);
        return this;
    }
}
