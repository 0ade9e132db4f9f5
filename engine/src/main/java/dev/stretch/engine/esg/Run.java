package dev.stretch.engine.esg;

/**
 * A stretch of ready tuples handed out by {@link EsgReader#nextRun}: indexes {@code [from, to)} of one
 * writer's batch, read in place. Valid until the reader's next call. Reused by its reader.
 */
public final class Run {
    public TupleBatch batch;
    public int from;
    public int to;
    /** The input of the consuming operator the tuples belong to (0, or 1 for a join's right side). */
    public int side;
    public EsgWriter writer;

    void set(TupleBatch b, int from, int to, int side, EsgWriter writer) {
        this.batch = b;
        this.from = from;
        this.to = to;
        this.side = side;
        this.writer = writer;
    }

    public int size() {
        return to - from;
    }

    public long lastTs() {
        return batch.ts[to - 1];
    }
}
