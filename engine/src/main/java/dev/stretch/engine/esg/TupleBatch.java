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
 *
 * <p>Sorted input is enforced here, on every add and whether or not assertions are enabled: a tuple must
 * sort strictly after the one before it, the first one after the writer's previous tuple and above the
 * progress the writer has announced (the writer sets that floor when it hands the batch out). A tuple
 * that does not is refused with {@link IllegalArgumentException}: accepted, it would reach readers out of
 * order or after they had passed its timestamp. The check costs one comparison per tuple.
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
    /**
     * What the next tuple must sort strictly after (writer only): the previous tuple, or for the first one
     * the writer's previous tuple or announced progress {@code p} as {@code (p, Long.MAX_VALUE)}.
     */
    private long floorTs = Long.MIN_VALUE;
    private long floorOrder = Long.MIN_VALUE;
    /** The writer whose batch this is, for messages ({@code null} for a free-standing batch). */
    Object owner;

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
        if (t <= floorTs && (t < floorTs || ord <= floorOrder)) {
            throw notAfterFloor(t, ord);
        }
        floorTs = t;
        floorOrder = ord;
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        size = i + 1;
    }

    /** Appends a tuple with its consumer's key group and primitive key. */
    public void add(long t, long ord, Object v, short kg, long k) {
        if (t <= floorTs && (t < floorTs || ord <= floorOrder)) {
            throw notAfterFloor(t, ord);
        }
        floorTs = t;
        floorOrder = ord;
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
        if (t <= floorTs && (t < floorTs || ord <= floorOrder)) {
            throw notAfterFloor(t, ord);
        }
        floorTs = t;
        floorOrder = ord;
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        keyGroup[i] = kg;
        key[i] = k;
        size = i + 1;
    }

    /** Sets what the first tuple must sort after (the writer, when it hands the batch out). */
    void startAfter(long ts, long order) {
        floorTs = ts;
        floorOrder = order;
    }

    private IllegalArgumentException notAfterFloor(long t, long ord) {
        String who = owner == null ? "batch" : "writer " + owner;
        String tuple = "tuple at " + t + " (order 0x" + Long.toHexString(ord) + ")";
        if (floorOrder == Long.MAX_VALUE) {
            return new IllegalArgumentException(who + ": " + tuple + " is at or below the progress the writer announced ("
                    + floorTs + ")");
        }
        return new IllegalArgumentException(who + ": " + tuple + " is not after the writer's previous tuple at " + floorTs
                + " (order 0x" + Long.toHexString(floorOrder) + ")");
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
