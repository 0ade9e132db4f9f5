package dev.stretch.engine.esg;

/**
 * The unit an {@link ElasticScaleGate} moves: up to {@link #capacity()} tuples of one writer, in
 * ascending (timestamp, order) sequence, stored column by column.
 *
 * <p>Columns:
 * <ul>
 *   <li>{@code ts}: event time;</li>
 *   <li>{@code order}: the deterministic tie-break among equal timestamps (see {@link TupleOrder}); the
 *       pair (ts, order) is unique across all writers of one gate and defines the merge order;</li>
 *   <li>{@code keyGroup}: the key group of the tuple's key for the consuming operator, computed once by
 *       the writer so that a VSN reader skips foreign tuples by scanning a {@code short[]};</li>
 *   <li>{@code longKey} / {@code key}: the key itself (primitive or object, whichever the consumer
 *       uses), so the owning reader does not extract it again;</li>
 *   <li>{@code value}: the element.</li>
 * </ul>
 *
 * <p>Batches live in a writer's ring and are reused: the writer refills a slot once every reader has
 * released it, so nothing here is allocated per tuple. Fields are plain; visibility comes from the
 * writer's release of its published count and the reader's acquire of it (see {@link EsgWriter}).
 */
public final class TupleBatch {
    public final long[] ts;
    public final long[] order;
    public final short[] keyGroup;
    public final long[] longKey;
    public final Object[] key;
    public final Object[] value;
    /** Number of valid tuples. */
    public int size;
    /** The writer's progress to announce with this batch while it waits outside the ring (writer only). */
    long spillProgress;

    public TupleBatch(int capacity) {
        this.ts = new long[capacity];
        this.order = new long[capacity];
        this.keyGroup = new short[capacity];
        this.longKey = new long[capacity];
        this.key = new Object[capacity];
        this.value = new Object[capacity];
    }

    public int capacity() {
        return ts.length;
    }

    public boolean isFull() {
        return size == ts.length;
    }

    public long lastTs() {
        return ts[size - 1];
    }

    public long lastOrder() {
        return order[size - 1];
    }

    /** Appends a tuple without a key. The caller checks {@link #isFull()} first. */
    public void add(long t, long ord, Object v) {
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        size = i + 1;
    }

    /** Appends a tuple with its consumer's key group and primitive key. */
    public void add(long t, long ord, Object v, short kg, long k) {
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        keyGroup[i] = kg;
        longKey[i] = k;
        size = i + 1;
    }

    /** Appends a tuple with its consumer's key group and object key. */
    public void add(long t, long ord, Object v, short kg, Object k) {
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        keyGroup[i] = kg;
        key[i] = k;
        size = i + 1;
    }

    /**
     * Empties the batch for refilling. Object references of the previous content are overwritten as the
     * batch fills; {@link #clearReferences()} drops them at once when the slot may stay idle.
     */
    public void reset() {
        size = 0;
    }

    /** Drops object references so an idle slot does not keep elements reachable. */
    public void clearReferences() {
        java.util.Arrays.fill(value, null);
        java.util.Arrays.fill(key, null);
    }
}
