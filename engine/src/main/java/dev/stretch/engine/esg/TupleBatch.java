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
 *   <li>{@code value}: the element;</li>
 *   <li>for a consumer keyed by several keys per element (multi-key): {@code keysEnd}, and per key
 *       {@code multiGroup} / {@code multiLong} / {@code multiKey}: tuple {@code i}'s keys are entries
 *       {@code [keysFrom(i), keysEnd[i])} of those columns. Allocated on the first multi-key tuple and
 *       grown as needed; the tuple itself is stored once, however many keys it has.</li>
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
    /** Multi-key columns ({@code null} until a multi-key tuple is added; see the class comment). */
    public int[] keysEnd;
    public short[] multiGroup;
    public long[] multiLong;
    public Object[] multiKey;
    /** Number of valid entries of the multi-key columns. */
    public int multiSize;
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

    /**
     * Takes tuples {@code [size, newSize)}, which the writer stored into the columns directly (a batched
     * writer's inner loop, which keeps the index in a local instead of updating {@code size} and the floor
     * per tuple). The writer guarantees they ascend strictly among themselves; this checks the first against
     * the floor, as {@link #add} would, and makes the last the new floor. On a refusal nothing is taken.
     */
    public void appended(int newSize) {
        int i = size;
        if (newSize <= i) {
            return;
        }
        long t = ts[i];
        long ord = order[i];
        if (t <= floorTs && (t < floorTs || ord <= floorOrder)) {
            throw notAfterFloor(t, ord);
        }
        floorTs = ts[newSize - 1];
        floorOrder = order[newSize - 1];
        size = newSize;
    }

    /**
     * The refusal {@link #add} gives for a tuple that is not after the one before it, for a batched writer
     * that found its input out of order while storing directly (the tuples before it are taken).
     */
    public IllegalArgumentException outOfOrder(long t, long ord, int taken) {
        appended(taken);
        return notAfterFloor(t, ord);
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

    /**
     * Appends a tuple with several keys: entries {@code [0, n)} of {@code groups} (the consumer's key group
     * of each key) and of {@code longKeys} or {@code objectKeys} (whichever the consumer uses; the other may
     * be {@code null}). The arrays are copied.
     */
    public void addMulti(long t, long ord, Object v, int n, short[] groups, long[] longKeys, Object[] objectKeys) {
        if (t <= floorTs && (t < floorTs || ord <= floorOrder)) {
            throw notAfterFloor(t, ord);
        }
        floorTs = t;
        floorOrder = ord;
        if (keysEnd == null) {
            keysEnd = new int[ts.length];
            int c = Math.max(16, ts.length * 2);
            multiGroup = new short[c];
            multiLong = new long[c];
            multiKey = new Object[c];
        }
        int m = multiSize;
        if (m + n > multiGroup.length) {
            int c = Math.max(m + n, multiGroup.length * 2);
            multiGroup = java.util.Arrays.copyOf(multiGroup, c);
            multiLong = java.util.Arrays.copyOf(multiLong, c);
            multiKey = java.util.Arrays.copyOf(multiKey, c);
        }
        System.arraycopy(groups, 0, multiGroup, m, n);
        if (longKeys != null) {
            System.arraycopy(longKeys, 0, multiLong, m, n);
        }
        if (objectKeys != null) {
            System.arraycopy(objectKeys, 0, multiKey, m, n);
        }
        int i = size;
        ts[i] = t;
        order[i] = ord;
        value[i] = v;
        keyGroup[i] = 0;
        multiSize = m + n;
        keysEnd[i] = m + n;
        size = i + 1;
    }

    /** Whether the tuples of this batch carry several keys each (multi-key columns). */
    public boolean isMultiKey() {
        return keysEnd != null;
    }

    /** The first multi-key entry of tuple {@code i}. */
    public int keysFrom(int i) {
        return i == 0 ? 0 : keysEnd[i - 1];
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
        multiSize = 0;
    }

    /** Drops object references so an idle slot does not keep elements reachable. */
    public void clearReferences() {
        java.util.Arrays.fill(value, null);
        java.util.Arrays.fill(key, null);
        if (multiKey != null) {
            java.util.Arrays.fill(multiKey, null);
        }
    }
}
