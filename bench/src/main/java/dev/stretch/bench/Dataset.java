package dev.stretch.bench;

import java.util.stream.IntStream;

/**
 * One input stream, generated before any clock starts so that no contender pays for generation: event
 * {@code i} has timestamp {@code i / eventsPerMs} and the key and value of generated event
 * {@code i mod length}. Runs longer than {@code length} events (the paced latency runs) cycle through the
 * columns; keys and values repeat, event time keeps growing.
 */
public final class Dataset {
    /** Longest pre-generated column: 2^24 events, 128 MiB for both columns. */
    public static final int MAX_LENGTH = 1 << 24;

    private final int[] keys;
    private final int[] values;
    private final long eventsPerMs;
    private final int keyCount;

    private Dataset(int[] keys, int[] values, long eventsPerMs, int keyCount) {
        this.keys = keys;
        this.values = values;
        this.eventsPerMs = eventsPerMs;
        this.keyCount = keyCount;
    }

    /** The number of distinct keys the stream was generated with (keys are in {@code [0, keyCount)}). */
    public int keyCount() {
        return keyCount;
    }

    /** Generates {@code min(events, MAX_LENGTH)} events, in parallel (each index is independent). */
    public static Dataset generate(long seed, int keyCount, boolean zipf, long events, long eventsPerMs) {
        if (eventsPerMs < 1) {
            throw new IllegalArgumentException("eventsPerMs must be >= 1, was " + eventsPerMs);
        }
        int length = (int) Math.max(1, Math.min(events, MAX_LENGTH));
        EventGenerator g = new EventGenerator(seed, keyCount, zipf);
        int[] k = new int[length];
        int[] v = new int[length];
        IntStream.range(0, length).parallel().forEach(i -> {
            k[i] = g.key(i);
            v[i] = g.value(i);
        });
        return new Dataset(k, v, eventsPerMs, keyCount);
    }

    public int length() {
        return keys.length;
    }

    public long eventsPerMs() {
        return eventsPerMs;
    }

    public long ts(long i) {
        return i / eventsPerMs;
    }

    public int key(long i) {
        return keys[(int) (i % keys.length)];
    }

    public int value(long i) {
        return values[(int) (i % values.length)];
    }

    /** The key column itself, for loops that walk it without the modulo. */
    int[] keyColumn() {
        return keys;
    }

    int[] valueColumn() {
        return values;
    }

    /** Walks indices {@code start, start + stride, …} without a division or modulo per event. */
    public Cursor cursor(long start, int stride) {
        return new Cursor(start, stride);
    }

    /** A position in the stream that moves by a fixed stride; what a strided source split reads. */
    public final class Cursor {
        private final int stride;
        private long index;
        private long ts;
        private long inMs;
        private int j;

        private Cursor(long start, int stride) {
            if (stride < 1) {
                throw new IllegalArgumentException("stride must be >= 1, was " + stride);
            }
            this.stride = stride;
            this.index = start;
            this.ts = start / eventsPerMs;
            this.inMs = start % eventsPerMs;
            this.j = (int) (start % keys.length);
        }

        public long index() {
            return index;
        }

        public long ts() {
            return ts;
        }

        public int key() {
            return keys[j];
        }

        public int value() {
            return values[j];
        }

        public void advance() {
            index += stride;
            inMs += stride;
            while (inMs >= eventsPerMs) {
                inMs -= eventsPerMs;
                ts++;
            }
            j += stride;
            while (j >= keys.length) {
                j -= keys.length;
            }
        }
    }
}
