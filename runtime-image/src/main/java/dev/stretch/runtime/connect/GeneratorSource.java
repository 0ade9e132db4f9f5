package dev.stretch.runtime.connect;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.model.Defaults;
import dev.stretch.model.GeneratorSpec;
import dev.stretch.runtime.pipeline.Row;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The synthetic source of examples and benchmarks: records {@code {ts, key, value}} (all {@code Long}),
 * {@code ts} being the event time in epoch ms, keys uniform or Zipf-skewed over {@code [0, keys)}, values
 * uniform in {@code [0, valueMax)}, at a rate that follows a {@link RateSchedule}.
 *
 * <p>Everything a split emits is a function of the spec, the split's index and the split count: its
 * random stream is seeded from {@code (seed, split)}, and its i-th record is scheduled at the first
 * millisecond by whose end the split's share of the rate integral exceeds i. So the same spec gives the
 * same records with the same timestamps whatever the timing, paced or not.
 *
 * <p>Paced (the default), a split emits a record once the wall clock, measured from the job's start, has
 * reached its scheduled time; ahead of schedule it declares its next timestamp minus one as progress and
 * asks to be polled again when the next record is due. Unpaced, it emits as fast as it is read.
 *
 * <p>The total rate and the {@code limit} are shared by all splits: split g of G gets {@code 1/G} of the
 * rate and {@code limit / G} records, the first {@code limit mod G} splits one more.
 *
 * <p>When several pods run the job (see {@link #forPod}), every pod runs every split and emits the records
 * its {@link SplitOwnership} gives it; it draws the others too (so that its random stream stays in step)
 * but only declares their time as progress. The pods together emit exactly the records of one pod alone.
 */
public final class GeneratorSource implements Source<Map<String, Object>> {
    /** Records per read when behind schedule or unpaced: enough to amortise the call, short enough to stay responsive. */
    static final int MAX_BATCH = 4096;
    /** The longest idle we ask for, so that a wall-clock jump is noticed soon. */
    static final long MAX_IDLE_NANOS = 100_000_000L;
    /** A schedule with no further event within this many ms of its start has none at all. */
    private static final long HORIZON_MILLIS = 100L * 366 * 24 * 3600 * 1000;
    /** Boxed keys and values below this are shared, so a record costs its map and nothing more. */
    private static final int BOXED_CACHE = 1 << 16;

    private final long seed;
    private final KeyDistribution keys;
    private final long valueMax;
    private final RateSchedule schedule;
    private final long limit;
    private final boolean paced;
    private final long startTime;
    private final long paceOrigin;
    private final InstantSource wallClock;
    private final SplitOwnership ownership;
    private final Long[] boxedKeys;
    private final Long[] boxedValues;

    /** A generator paced by the system clock from {@code jobStartMillis}. */
    public GeneratorSource(GeneratorSpec spec, long jobStartMillis) {
        this(spec, jobStartMillis, Clock.systemUTC());
    }

    /**
     * @param spec the generator's settings; absent ones take {@link Defaults}
     * @param jobStartMillis epoch ms of the job's start: the wall-clock origin of pacing, and the
     *     timestamp of the first record unless the spec sets {@code startTime}
     * @param wallClock where pacing reads the time
     * @throws IllegalArgumentException naming the field when the spec is invalid
     */
    public GeneratorSource(GeneratorSpec spec, long jobStartMillis, InstantSource wallClock) {
        this(spec == null ? new GeneratorSpec() : spec, jobStartMillis, Objects.requireNonNull(wallClock, "wallClock"),
                SplitOwnership.ALL);
    }

    private GeneratorSource(GeneratorSpec spec, long jobStartMillis, InstantSource wallClock,
            SplitOwnership ownership) {
        this.seed = spec.getSeed() == null ? Defaults.GENERATOR_SEED : spec.getSeed();
        int keyCount = spec.getKeys() == null ? Defaults.GENERATOR_KEYS : spec.getKeys();
        this.keys = KeyDistribution.of(keyCount, spec.getSkew() == null ? 0 : spec.getSkew());
        this.valueMax = spec.getValueMax() == null ? Defaults.GENERATOR_VALUE_MAX : spec.getValueMax();
        if (valueMax < 1) {
            throw new IllegalArgumentException("valueMax must be >= 1, was " + valueMax);
        }
        this.schedule = RateSchedule.of(spec.getRate());
        if (spec.getLimit() != null && spec.getLimit() < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + spec.getLimit());
        }
        this.limit = spec.getLimit() == null ? -1 : spec.getLimit();
        this.paced = spec.getPaced() == null || spec.getPaced();
        this.startTime = spec.getStartTime() == null ? jobStartMillis : spec.getStartTime();
        this.paceOrigin = jobStartMillis;
        this.wallClock = wallClock;
        this.ownership = ownership;
        this.boxedKeys = boxes(Math.min(keyCount, BOXED_CACHE));
        this.boxedValues = boxes((int) Math.min(valueMax, BOXED_CACHE));
    }

    private GeneratorSource(GeneratorSource o, SplitOwnership ownership) {
        this.seed = o.seed;
        this.keys = o.keys;
        this.valueMax = o.valueMax;
        this.schedule = o.schedule;
        this.limit = o.limit;
        this.paced = o.paced;
        this.startTime = o.startTime;
        this.paceOrigin = o.paceOrigin;
        this.wallClock = o.wallClock;
        this.ownership = Objects.requireNonNull(ownership, "ownership");
        this.boxedKeys = o.boxedKeys;
        this.boxedValues = o.boxedValues;
    }

    /**
     * This generator as run by one of several pods running the same job: it emits the records
     * {@code ownership} gives this pod (split s belongs to pod {@code s % count}, see
     * {@code PodTopology}), so that the pods together emit the job's records once, not once each.
     */
    public GeneratorSource forPod(SplitOwnership ownership) {
        return new GeneratorSource(this, ownership);
    }

    @Override
    public boolean isBounded() {
        return limit >= 0;
    }

    /** The rate schedule of the whole source (all splits, all pods). */
    public RateSchedule schedule() {
        return schedule;
    }

    /** Epoch ms of the first record (the schedule's origin). */
    public long startTime() {
        return startTime;
    }

    @Override
    public SplitReader<Map<String, Object>> createReader(int split, int splitCount) {
        if (splitCount < 1 || split < 0 || split >= splitCount) {
            throw new IllegalArgumentException("split must be in [0, splitCount), was " + split + " of " + splitCount);
        }
        long share = limit < 0 ? -1 : limit / splitCount + (split < limit % splitCount ? 1 : 0);
        return new Reader(new SplittableRandom(mix(seed, split)), split, splitCount, share);
    }

    private static Long[] boxes(int n) {
        Long[] b = new Long[n];
        for (int i = 0; i < n; i++) {
            b[i] = (long) i;
        }
        return b;
    }

    /** Seeds of neighbouring splits must give unrelated streams: mix both through a 64-bit finaliser. */
    private static long mix(long seed, long split) {
        long z = seed * 0x9E3779B97F4A7C15L + split * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** One split: its random stream and its position in the schedule. */
    private final class Reader implements SplitReader<Map<String, Object>> {
        private final SplittableRandom random;
        private final int split;
        private final boolean everything;
        private final double splits;
        /** Records still to emit; negative when unlimited. */
        private long remaining;
        /** Index of the next record. */
        private long next;
        /** The millisecond (since the start) of the records being emitted, and how many records precede its end. */
        private long bucket = -1;
        private long bucketEnd;
        private Long bucketTs;
        private boolean exhausted;

        Reader(SplittableRandom random, int split, long splits, long share) {
            this.random = random;
            this.split = split;
            this.everything = ownership == SplitOwnership.ALL;
            this.splits = splits;
            this.remaining = share;
        }

        @Override
        public ReadResult read(SourceOutput<Map<String, Object>> output) {
            if (remaining == 0 || !scheduleNext()) {
                return ReadResult.end();
            }
            long due = Long.MAX_VALUE;
            if (paced) {
                due = wallClock.millis() - paceOrigin;
                if (bucket > due) {
                    output.markProgress(startTime + bucket - 1);
                    return ReadResult.idle(Math.min(MAX_IDLE_NANOS, (bucket - due) * 1_000_000));
                }
            }
            boolean skipped = false;
            for (int n = 0; n < MAX_BATCH && remaining != 0 && scheduleNext() && bucket <= due; n++) {
                skipped = !emit(output);
            }
            if (skipped) {
                // another pod emits this record; later ones of this split may share its millisecond
                output.markProgress(startTime + bucket - 1);
            }
            return ReadResult.more();
        }

        /** Draws the next record and emits it if this pod owns it; false if another pod does. */
        private boolean emit(SourceOutput<Map<String, Object>> output) {
            int key = keys.sample(random);
            long value = random.nextLong(valueMax);
            next++;
            if (remaining > 0) {
                remaining--;
            }
            if (!everything && !ownership.owns(split, startTime + bucket)) {
                return false;
            }
            Map<String, Object> record = new Row(3);
            record.put("ts", bucketTs);
            record.put("key", key < boxedKeys.length ? boxedKeys[key] : Long.valueOf(key));
            record.put("value", value < boxedValues.length ? boxedValues[(int) value] : Long.valueOf(value));
            output.collect(record, startTime + bucket);
            return true;
        }

        /** Makes {@code bucket} the millisecond of record {@code next}; false if there is none. */
        private boolean scheduleNext() {
            if (next < bucketEnd) {
                return true;
            }
            if (exhausted) {
                return false;
            }
            // record i falls in the first ms m whose end has expected(m + 1) > i
            long lo = bucket;
            long step = 1;
            long hi = lo + step;
            while (!(expected(hi + 1) > next)) {
                lo = hi;
                step <<= 1;
                hi = lo + step;
                if (hi > HORIZON_MILLIS) {
                    exhausted = true;
                    return false;
                }
            }
            while (hi - lo > 1) {
                long mid = (lo + hi) >>> 1;
                if (expected(mid + 1) > next) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            bucket = hi;
            bucketEnd = (long) Math.ceil(expected(hi + 1));
            bucketTs = startTime + hi;
            return true;
        }

        private double expected(long millis) {
            return schedule.expectedEvents(millis) / splits;
        }

        @Override
        public void close() {
            // nothing to release: a split is its random stream and a position
        }
    }
}
