package dev.stretch.engine.exec;

/**
 * The bucket each element of a theta join's input is stored in: round robin over the join's buckets, on a
 * counter per producer lane. The producer stamps the bucket into the tuple (its key-group column), so
 * every instance of the join reads the same bucket for it, in VSN mode (where each instance stores the
 * elements of its own buckets) as in SN mode (where the left side is routed by it); each lane starts at
 * its own offset, so that lanes that emit little still spread over the buckets.
 *
 * <p>Shared by all instances of the producer, like {@link LaneSequencer} and for the same reason safe
 * without synchronisation: a lane (a source split, or a key group) is written only by its current owner,
 * and ownership changes only at an epoch barrier, which orders the old owner's writes before the new
 * owner's reads. Each lane's counter sits on a cache line of its own (no false sharing between lanes
 * written by different threads).
 */
final class RoundRobinBuckets {
    /** Ints per lane / 2: each lane gets 16 ints, one 64-byte cache line; one line of padding before the first lane. */
    private static final int STRIDE = 8;
    private final int[] next;
    private final int buckets;

    RoundRobinBuckets(int lanes, int buckets) {
        this.buckets = buckets;
        this.next = new int[(lanes + 1) * STRIDE * 2];
        for (int l = 0; l < lanes; l++) {
            next[(l + 1) * STRIDE * 2] = (int) ((l * 7919L) % buckets);
        }
    }

    /** The bucket of the lane's next element. */
    int next(int lane) {
        int i = (lane + 1) * STRIDE * 2;
        int b = next[i];
        next[i] = b + 1 == buckets ? 0 : b + 1;
        return b;
    }
}
