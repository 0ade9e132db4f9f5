package dev.stretch.bench;

/**
 * Order-independent fingerprints of a run's output: each output record is hashed, and the checksum is
 * the wrapping sum of the hashes, so it does not depend on the order or on which instance emitted what.
 * Records are hashed from their primitive fields (never an identity hash code).
 */
public final class Checksums {
    private static final long SALT = 0x632be59bd9b4e019L;

    private Checksums() {
    }

    /** (windowEnd, key, value): tumbling-count, pipeline-3; sliding-avg with the average's bits as value. */
    public static long of(long end, long key, long value) {
        return EventGenerator.mix64(EventGenerator.mix64(EventGenerator.mix64(end + SALT) ^ key) ^ value);
    }

    /** (windowEnd, key, a.value, b.value): window-join. */
    public static long of(long end, long key, long a, long b) {
        return EventGenerator.mix64(of(end, key, a) ^ b);
    }

    /** (max ts, a.key, b.key, a.value, b.value): band-join. */
    public static long ofBand(long ts, long aKey, long bKey, long a, long b) {
        return EventGenerator.mix64(of(ts, aKey * 0x9E3779B97F4A7C15L ^ bKey, a) ^ b);
    }

    public static long ofAverage(long end, long key, double avg) {
        return of(end, key, Double.doubleToLongBits(avg));
    }

    /** End of the tumbling window of {@code size} ms that holds {@code ts} (a join function sees no window). */
    public static long tumblingEnd(long ts, long size) {
        return ts - Math.floorMod(ts, size) + size;
    }

    public static String hex(long checksum) {
        return String.format("%016x", checksum);
    }
}
