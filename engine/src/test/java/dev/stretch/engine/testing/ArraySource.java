package dev.stretch.engine.testing;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A bounded source over pre-generated per-split element lists. Reads in random chunk sizes and now and
 * then reports itself idle with a progress mark (seeded), so tests exercise batching, heartbeats and
 * partial flushes; the elements and their split assignment never depend on that.
 */
public final class ArraySource<T> implements Source<T> {
    private final List<List<Timed<T>>> splits;
    private final long seed;
    private final int idleEvery;
    private final BooleanSupplier mayEnd;

    public ArraySource(List<List<Timed<T>>> splits, long seed) {
        this(splits, seed, 50, () -> true);
    }

    /**
     * @param idleEvery about one read in this many reports the split idle for up to 20 ms
     * @param mayEnd asked once a split has emitted everything: it stays open (idle) until this says true
     */
    public ArraySource(List<List<Timed<T>>> splits, long seed, int idleEvery, BooleanSupplier mayEnd) {
        this.splits = splits;
        this.seed = seed;
        this.idleEvery = idleEvery;
        this.mayEnd = mayEnd;
    }

    /** An element with its timestamp. */
    public record Timed<T>(long ts, T value) {
    }

    @Override
    public SplitReader<T> createReader(int split, int splitCount) {
        if (splitCount != splits.size()) {
            throw new IllegalArgumentException("source has " + splits.size() + " splits, asked for " + splitCount);
        }
        List<Timed<T>> data = splits.get(split);
        long[] suffixMin = new long[data.size() + 1];
        suffixMin[data.size()] = Long.MAX_VALUE;
        for (int i = data.size() - 1; i >= 0; i--) {
            suffixMin[i] = Math.min(suffixMin[i + 1], data.get(i).ts());
        }
        SplittableRandom rnd = new SplittableRandom(seed * 31 + split);
        return new SplitReader<>() {
            private int pos;

            @Override
            public ReadResult read(SourceOutput<T> out) {
                if (pos >= data.size()) {
                    return mayEnd.getAsBoolean() ? ReadResult.end() : ReadResult.idle(1_000_000);
                }
                if (rnd.nextInt(idleEvery) == 0) {
                    // a true promise: nothing still to come is at or below it
                    out.markProgress(suffixMin[pos] - 1);
                    return ReadResult.idle(rnd.nextInt(1, 20_000));
                }
                int n = rnd.nextInt(1, 2000);
                for (int i = 0; i < n && pos < data.size(); i++, pos++) {
                    Timed<T> t = data.get(pos);
                    out.collect(t.value(), t.ts());
                }
                return ReadResult.more();
            }
        };
    }
}
