package dev.stretch.bench.jmh;

import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.EsgReader;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.Run;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.esg.TupleOrder;
import dev.stretch.engine.esg.WaitHook;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The Elastic ScaleGate's own cost per tuple, on one thread and without contention: {@code writers} writers
 * each fill and publish a batch of {@value #BATCH} keyed tuples (interleaved timestamps, so the reader
 * merges), then one reader takes everything in runs and touches each tuple's key group and value. What is
 * left above a plain array walk is the ESG's bookkeeping: claims, publishes, the readiness check and the
 * merge. The concurrent cost (waiting, cache traffic) is what the whole-job benchmarks measure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EsgPathJmh {
    static final int BATCH = 64;

    @Param({"1", "2", "4"})
    int writers;

    private EsgWriter[] ws;
    private EsgReader reader;
    private final Run run = new Run();
    private final Backoff backoff = new Backoff();
    private long ts;
    private final Object value = new Object();

    @Setup(Level.Iteration)
    public void setUp() {
        ElasticScaleGate gate = new ElasticScaleGate("jmh", 8, BATCH);
        ws = new EsgWriter[writers];
        for (int i = 0; i < writers; i++) {
            ws[i] = gate.addWriter(0, Long.MIN_VALUE);
        }
        reader = gate.addReader();
        ts = 0;
    }

    /** One round: every writer publishes one batch, the reader drains what is ready. Per tuple. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long writeThenRead(Blackhole bh) {
        int n = ws.length;
        long base = ts;
        for (int w = 0; w < n; w++) {
            TupleBatch b = ws[w].claim(WaitHook.NONE, backoff);
            for (int i = 0; i < BATCH / n; i++) {
                long t = base + (long) i * n + w;
                b.add(t, TupleOrder.of(0, w, 0), value, (short) (t & 127), t);
            }
            ws[w].publish(base + (long) (BATCH / n) * n - 1);
        }
        ts = base + (long) (BATCH / n) * n;
        long sum = 0;
        while (reader.nextRun(run, Long.MAX_VALUE)) {
            TupleBatch b = run.batch;
            for (int i = run.from; i < run.to; i++) {
                sum += b.keyGroup[i];
                bh.consume(b.value[i]);
            }
        }
        return sum;
    }
}
