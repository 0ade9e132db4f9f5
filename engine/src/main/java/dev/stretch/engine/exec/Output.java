package dev.stretch.engine.exec;

/**
 * Push-based element sink inside a task: the head of a chain of stateless operators, or an edge into
 * another stage's gate. {@code lane} is the producer's lane (source split or key group), carried along
 * the chain unchanged.
 */
interface Output {
    void emit(long ts, int lane, Object value);

    /**
     * Emits {@code values[from, to)} with timestamps {@code ts[from, to)} (non-decreasing), all on one lane:
     * the same as {@link #emit} for each, which is what this default does; an edge does the per-tuple
     * bookkeeping per batch instead.
     */
    default void emitBatch(long[] ts, Object[] values, int from, int to, int lane) {
        for (int i = from; i < to; i++) {
            emit(ts[i], lane, values[i]);
        }
    }
}
