package dev.stretch.engine.exec;

import java.util.Arrays;

/**
 * Numbers the tuples a producer emits into one edge per (timestamp, lane), for
 * {@link dev.stretch.engine.esg.TupleOrder}. Shared by all instances of the producer: each lane (a split,
 * or a key group) is written only by its current owner, and ownership changes only at an epoch barrier,
 * which orders the old owner's writes before the new owner's reads. Plain arrays, no synchronisation.
 */
final class LaneSequencer {
    private final long[] lastTs;
    private final long[] seq;

    LaneSequencer(int lanes) {
        this.lastTs = new long[lanes];
        this.seq = new long[lanes];
        Arrays.fill(lastTs, Long.MIN_VALUE);
    }

    long next(int lane, long ts) {
        if (lastTs[lane] == ts) {
            return ++seq[lane];
        }
        lastTs[lane] = ts;
        seq[lane] = 0;
        return 0;
    }
}
