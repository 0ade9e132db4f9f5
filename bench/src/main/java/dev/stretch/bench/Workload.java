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
 *       (windowEnd, key mod 100, sum).</li>
 * </ul>
 */
public enum Workload {
    TUMBLING_COUNT("tumbling-count", 1),
    SLIDING_AVG("sliding-avg", 1),
    WINDOW_JOIN("window-join", 2),
    PIPELINE_3("pipeline-3", 1);

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
                + "window-join, pipeline-3");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
