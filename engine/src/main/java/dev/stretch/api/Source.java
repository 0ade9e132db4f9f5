package dev.stretch.api;

/**
 * A source of elements, read as independent splits. Each split is a sub-stream whose timestamps follow
 * the job's {@link WatermarkStrategy}; splits are the unit of source parallelism and the lanes that make
 * output order deterministic, so a source must assign records to splits deterministically.
 */
public interface Source<T> {
    /**
     * Opens the reader of one split.
     *
     * @param split index in {@code [0, splitCount)}
     * @param splitCount the source's parallelism
     */
    SplitReader<T> createReader(int split, int splitCount) throws Exception;

    /** Whether the source ends by itself (a file) or runs until cancelled (a generator without limit). */
    default boolean isBounded() {
        return true;
    }
}
