package dev.stretch.bench.jmh;

import dev.stretch.engine.exec.KeyGroups;
import dev.stretch.engine.state.LongKeyIndex;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keyed-state lookup of a windowed aggregate, per tuple (findings.md, 2): the engine keeps one
 * {@link LongKeyIndex} per key group and pane, so a tuple first picks its key group's table, then probes it;
 * the hand loop probes one table for all keys. Keys are uniform over {@code keys} distinct values, in a
 * pre-generated order; the key group is computed per tuple as the writer does ({@link KeyGroups#of}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KeyIndexJmh {
    static final int TUPLES = 1 << 16;
    static final int KEY_GROUPS = 128;

    @Param({"1000", "100000"})
    int keys;

    private final long[] stream = new long[TUPLES];
    private final LongKeyIndex[] perGroup = new LongKeyIndex[KEY_GROUPS];
    private final LongKeyIndex single = new LongKeyIndex();
    private long[] countsSingle;
    private long[][] countsPerGroup;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < TUPLES; i++) {
            stream[i] = rnd.nextLong(keys) * 0x9E3779B97F4A7C15L; // spread, as real ids are
        }
        countsSingle = new long[keys];
        countsPerGroup = new long[KEY_GROUPS][keys];
        for (int g = 0; g < KEY_GROUPS; g++) {
            perGroup[g] = new LongKeyIndex();
        }
    }

    /** The engine's layout: key group, then that group's table; a count per slot. */
    @Benchmark
    @OperationsPerInvocation(TUPLES)
    public long perKeyGroupTables() {
        long[] s = stream;
        for (int i = 0; i < s.length; i++) {
            long k = s[i];
            int g = KeyGroups.of(k, KEY_GROUPS);
            countsPerGroup[g][perGroup[g].slotOfKey(k)]++;
        }
        return countsPerGroup[0][0];
    }

    /** The hand loop's layout: one table for every key. */
    @Benchmark
    @OperationsPerInvocation(TUPLES)
    public long oneTable() {
        long[] s = stream;
        for (int i = 0; i < s.length; i++) {
            countsSingle[single.slotOfKey(s[i])]++;
        }
        return countsSingle[0];
    }

    /** The key-group computation alone (done once per tuple by every writer). */
    @Benchmark
    @OperationsPerInvocation(TUPLES)
    public long keyGroupOnly() {
        long[] s = stream;
        long sum = 0;
        for (int i = 0; i < s.length; i++) {
            sum += KeyGroups.of(s[i], KEY_GROUPS);
        }
        return sum;
    }
}
