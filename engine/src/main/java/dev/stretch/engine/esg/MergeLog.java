package dev.stretch.engine.esg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The merge of an {@link ElasticScaleGate}'s writers, done once for all its readers: a bounded ring of
 * <em>entries</em>, each one run of the merged stream ({@code [pos, to)} of one writer's current batch, where
 * {@code pos} is where that writer's previous entry ended). Readers that follow the log keep a cursor per
 * writer as before, but advance them by the entries instead of choosing among the writers' heads; only a
 * reader that finds no next entry (it is at the tail) merges: it chooses the next run as a lone reader would
 * and offers it as the next entry with one compare-and-set. Whichever reader's offer lands, the others take
 * that entry instead of theirs: every run is a stretch of the one merged sequence, and any ready prefix of
 * it is as good as another, so entries from different readers chain into the same sequence of tuples.
 *
 * <p>Without it every reader of a VSN operator merges every writer: a comparison of every writer's head per
 * run and reader, which dominates when writers interleave closely (one-tuple runs: a join whose streams are
 * sparse). With it a reader behind the tail pays one load and a cursor step per run.
 *
 * <h2>Entries</h2>
 * One {@code long} per slot, non-negative: {@code round (19 bits) | writer (24 bits) | to (20 bits)}, where
 * round is the entry's position divided by the capacity. Entry {@code p} lives in slot {@code p mod capacity};
 * a slot that holds another round's entry, or {@link #EMPTY}, is not entry {@code p}. Writers are named by
 * their id modulo 2^24 ({@link #wid}): two writers of one gate alive at once never have ids that far apart.
 *
 * <h2>Memory ordering</h2>
 * <ul>
 *   <li>Content. A proposer reads a writer's published count with acquire before it reads the batch to choose
 *       the run ({@code EsgReader.Cursor.refresh}), then appends with a compare-and-set, which has release
 *       semantics; a follower loads the slot with acquire before it reads the batch. So the writer's filling
 *       of the batch happens-before the follower's reads of it, as if the follower had acquired the
 *       published count itself.</li>
 *   <li>Slot reuse. A follower publishes its position ({@code logPub}, release) after it has decoded an entry
 *       into its own fields and moved past it; a proposer writes entry {@code p} into the slot of entry
 *       {@code p - capacity} only after loading (acquire) every follower's position above it. The reader
 *       membership it takes the minimum over is checked before and after, as a writer checks its readers'
 *       gates (the argument is at {@code EsgReader.minLogPosition}).</li>
 *   <li>Lost or doubled entries. The compare-and-set expects the slot's previous content, which is not entry
 *       {@code p}: it fails exactly when another reader appended entry {@code p} first. It cannot succeed on a
 *       slot that already went past entry {@code p}: entry {@code p + capacity} needs every follower past
 *       {@code p}, the proposer included.</li>
 *   <li>Batch release. Followers release a writer's batch (its gate) as before, once they are called again
 *       after handing out the batch's last tuple; entries only name batches that no follower behind them has
 *       released, so a batch an entry names is never refilled before every follower has read it.</li>
 * </ul>
 *
 * <h2>Who follows</h2>
 * A reader follows the log only while it shares it: a reader that finds itself alone in the gate (one
 * instance, SN mode, or after a reconfiguration removed the others) leaves it between entries and merges for
 * itself, paying nothing for the log. Readers added before any data (an operator's start) follow from
 * position 0. A reader added at a template's position ({@code addReaderAt}, at a reconfiguration) follows at
 * the template's log position; if the template had left the log and nobody else follows it, the gate
 * empties the log first and both start at position 0, which is safe because no thread uses the log then.
 */
final class MergeLog {
    static final long EMPTY = -1L;
    static final int TO_BITS = 20;
    static final int WID_BITS = 24;
    static final long TO_MASK = (1L << TO_BITS) - 1;
    static final long WID_MASK = (1L << WID_BITS) - 1;
    static final long ROUND_MASK = (1L << 19) - 1;
    /** The largest batch capacity entries can describe. */
    static final int MAX_BATCH = (int) TO_MASK;

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    final int capacity;
    final int shift;
    private final int mask;
    private final long[] slots;

    MergeLog(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("merge log capacity must be a power of two: " + capacity);
        }
        this.capacity = capacity;
        this.shift = Integer.numberOfTrailingZeros(capacity);
        this.mask = capacity - 1;
        this.slots = new long[capacity];
        Arrays.fill(slots, EMPTY);
    }

    /** The capacity for a gate's batches: a few batches' worth of one-tuple runs, at least 64. */
    static int capacityFor(int batchCapacity) {
        long want = Math.max(64L, 4L * batchCapacity);
        return (int) Math.min(1 << 20, Long.highestOneBit(want - 1) << 1);
    }

    static int wid(int writerId) {
        return (int) (writerId & WID_MASK);
    }

    /** The slot of entry {@code p} (acquire). */
    long get(long p) {
        return (long) SLOTS.getAcquire(slots, (int) p & mask);
    }

    static boolean isEntry(long v, long p, int shift) {
        return v >= 0 && (v >>> (TO_BITS + WID_BITS)) == ((p >>> shift) & ROUND_MASK);
    }

    static int writerOf(long v) {
        return (int) ((v >>> TO_BITS) & WID_MASK);
    }

    static int toOf(long v) {
        return (int) (v & TO_MASK);
    }

    /** Appends entry {@code p} if its slot still holds {@code old}; false when another reader appended it. */
    boolean append(long p, long old, int wid, int to) {
        long e = (((p >>> shift) & ROUND_MASK) << (TO_BITS + WID_BITS)) | ((long) wid << TO_BITS) | to;
        return SLOTS.compareAndSet(slots, (int) p & mask, old, e);
    }

    /** Empties every slot; only while no reader uses the log (under the gate's lock, see the class comment). */
    void clear() {
        Arrays.fill(slots, EMPTY);
        VarHandle.releaseFence();
    }
}
