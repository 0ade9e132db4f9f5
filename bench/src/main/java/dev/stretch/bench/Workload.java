package dev.stretch.bench;

import java.util.Locale;

/**
 * The four benchmark jobs. Every contender implements each with the same semantics (same windows, same
 * keys, same outputs), so output count and checksum must agree before speeds are compared.
 *
 * <ul>
 *   <li>{@code tumbling-count}: key by key, tumbling 100 ms windows, count → (windowEnd, key, count);</li>
 *   <li>{@code sliding-avg}: key by key, sliding windows of 1000 ms every 100 ms (WS/WA = 10), average of
 *       value as {@code (double) sum / count} → (windowEnd, key, avg); windows that start before 0 and the
 *       ones that end after the last event are emitted too, for keys with data in them;</li>
 *   <li>{@code window-join}: streams A and B (seeds 42, 43) joined on key in tumbling 100 ms windows, every
 *       pair of the window → (windowEnd, key, a.value, b.value);</li>
 *   <li>{@code pipeline-3}: map value → 2·value + 1, key by key tumbling 100 ms sum, then key by key mod 100
 *       tumbling 1000 ms sum of the first stage's sums (which carry timestamp windowEnd − 1) →
 *       (windowEnd, key mod 100, sum);</li>
 *   <li>{@code band-join}: streams A and B (10 events per ms each) joined where {@code |a.value - b.value| <= 1}
 *       and {@code |a.ts - b.ts| <= 10 ms}, each pair once when the later of the two arrives (ScaleJoin) ->
 *       (max ts, a.key, b.key, a.value, b.value); about 105 comparisons per input event, reported as
 *       comparisons per second too. No Flink contender: Flink's DataStream joins need a key (an interval join
 *       without one runs at parallelism 1);</li>
 *   <li>{@code multi-key-count}: every event belongs to three keys ({@link #multiKey}: its key, its key
 *       shifted past the key range, and one of 64 value classes), tumbling 100 ms count per key ->
 *       (windowEnd, key, count). Flink (and this engine in SN mode) copy each event per key.</li>
 * </ul>
 */
public enum Workload {
    TUMBLING_COUNT("tumbling-count", 1),
    SLIDING_AVG("sliding-avg", 1),
    WINDOW_JOIN("window-join", 2),
    PIPELINE_3("pipeline-3", 1),
    BAND_JOIN("band-join", 2),
    MULTI_KEY_COUNT("multi-key-count", 1);

    /** band-join: the time bound (ms) and the band's width on the values. */
    public static final long BAND_WITHIN_MS = 10;
    public static final long BAND_WIDTH = 1;
    /** multi-key-count: keys per event. */
    public static final int MULTI_KEYS = 3;

    public static final long SEED_A = 42;
    public static final long SEED_B = 43;

    private final String id;
    private final int streams;

    Workload(String id, int streams) {
        this.id = id;
        this.streams = streams;
    }

    public String id() {
        return id;
    }

    /** Input streams: 2 for the join (its throughput counts both), else 1. */
    public int streams() {
        return streams;
    }

    /**
     * Events per millisecond of event time. The join is sparser so that its output stays near one pair per
     * input event (with Zipf keys, the hot key's pairs grow with the square of the window's events).
     */
    public long eventsPerMs(boolean zipf) {
        if (this == WINDOW_JOIN) {
            return zipf ? 1 : 10;
        }
        if (this == BAND_JOIN) {
            return 10;
        }
        return 1000;
    }

    /**
     * Events per input stream for a throughput run: enough for several seconds of Flink, the slowest
     * contender, at its best parallelism on a quiet 2-core machine ({@code quick}: a sixth).
     */
    public long events(int keys, boolean quick) {
        boolean big = keys > 10_000;
        long n = switch (this) {
            case TUMBLING_COUNT -> big ? 12_000_000L : 30_000_000L;
            case SLIDING_AVG -> big ? 1_000_000L : 3_000_000L;
            case WINDOW_JOIN -> 4_000_000L;
            case PIPELINE_3 -> big ? 10_000_000L : 30_000_000L;
            case BAND_JOIN -> 2_000_000L;
            case MULTI_KEY_COUNT -> big ? 4_000_000L : 10_000_000L;
        };
        return quick ? n / 6 : n;
    }

    public static Workload of(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; one of tumbling-count, sliding-avg, "
                + "window-join, pipeline-3, band-join, multi-key-count");
    }

    /** Whether a contender runs this workload (no Flink band join: see the class comment). */
    public boolean runs(String contender) {
        return !(this == BAND_JOIN && contender.equals("flink"));
    }

    /**
     * Key {@code j} ({@code 0 <= j <} {@link #MULTI_KEYS}) of a multi-key-count event, all distinct: its key,
     * its key shifted past the key range, and a value class past both.
     */
    public static long multiKey(int j, long key, long value, int keyCount) {
        return switch (j) {
            case 0 -> key;
            case 1 -> key + keyCount;
            default -> 2L * keyCount + value % 64;
        };
    }

    /**
     * Comparisons a band join of {@code n} events per stream makes: the pairs at most {@link #BAND_WITHIN_MS}
     * apart (both streams have {@code epm} events per ms, event {@code i} at {@code i / epm}).
     */
    public static long bandComparisons(long n, long epm) {
        long total = 0;
        for (long i = 0; i < n; i++) {
            long ts = i / epm;
            long lo = Math.max(0, (ts - BAND_WITHIN_MS) * epm);
            long hi = Math.min(n, (ts + BAND_WITHIN_MS + 1) * epm);
            total += hi - lo;
        }
        return total;
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
