package dev.stretch.engine.exec;

/**
 * Numbers the tuples a producer emits into one edge per (timestamp, lane), for
 * {@link dev.stretch.engine.esg.TupleOrder}. Shared by all instances of the producer: each lane (a split,
 * or a key group) is written only by its current owner, and ownership changes only at an epoch barrier,
 * which orders the old owner's writes before the new owner's reads. Plain arrays, no synchronisation.
 *
 * <p>Each lane's pair (last timestamp, sequence) sits on a cache line of its own: lanes are written per
 * tuple by different threads (two source splits, or two instances' key groups), and packed side by side
 * they would share a line and make every write a cross-core miss (false sharing: it cost a quarter of the
 * throughput of two splits on two cores).
 */
final class LaneSequencer {
    /** Longs per lane: one 64-byte cache line, lane data at its start. */
    private static final int STRIDE = 8;
    /** [lane * STRIDE] = last timestamp, [lane * STRIDE + 1] = sequence within it; one line of padding before. */
    private final long[] slots;

    LaneSequencer(int lanes) {
        this.slots = new long[(lanes + 1) * STRIDE];
        for (int l = 0; l < lanes; l++) {
            slots[(l + 1) * STRIDE] = Long.MIN_VALUE;
        }
    }

    /** The lane's last timestamp (for a batch: read once, numbered locally, written back with {@link #set}). */
    long lastTs(int lane) {
        return slots[(lane + 1) * STRIDE];
    }

    /** The lane's sequence within its last timestamp. */
    long seq(int lane) {
        return slots[(lane + 1) * STRIDE + 1];
    }

    void set(int lane, long ts, long seq) {
        int i = (lane + 1) * STRIDE;
        slots[i] = ts;
        slots[i + 1] = seq;
    }

    long next(int lane, long ts) {
        int i = (lane + 1) * STRIDE;
        if (slots[i] == ts) {
            return ++slots[i + 1];
        }
        slots[i] = ts;
        slots[i + 1] = 0;
        return 0;
    }
}
