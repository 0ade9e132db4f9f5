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
 * The ESG's merge cost with two readers (a VSN operator at two instances), with the merge shared through the
 * gate's merge log ({@code log = shared}) against each reader merging every writer itself ({@code log = none}),
 * in one JMH run. One thread: every writer publishes one batch of {@value #BATCH} tuples whose timestamps
 * interleave writer by writer (one-tuple runs, the worst case for the merge: a sparse join's streams), then
 * reader A drains everything ready (it is at the tail: it merges), then reader B (behind A: with the log it
 * only follows). Score: tuples per microsecond, counting each tuple once per reader.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SharedMergeJmh {
    static final int BATCH = 64;

    @Param({"2", "4"})
    int writers;

    @Param({"shared", "none"})
    String log;

    private EsgWriter[] ws;
    private EsgReader a;
    private EsgReader b;
    private final Run run = new Run();
    private final Backoff backoff = new Backoff();
    private long ts;
    private final Object value = new Object();

    @Setup(Level.Iteration)
    public void setUp() {
        ElasticScaleGate gate = new ElasticScaleGate("jmh", 8, BATCH, log.equals("shared") ? 1024 : 0);
        ws = new EsgWriter[writers];
        for (int i = 0; i < writers; i++) {
            ws[i] = gate.addWriter(0, Long.MIN_VALUE);
        }
        a = gate.addReader();
        b = gate.addReader();
        ts = 0;
    }

    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public long writeThenReadTwice(Blackhole bh) {
        int n = ws.length;
        long base = ts;
        for (int w = 0; w < n; w++) {
            TupleBatch batch = ws[w].claim(WaitHook.NONE, backoff);
            for (int i = 0; i < BATCH / n; i++) {
                long t = base + (long) i * n + w;
                batch.add(t, TupleOrder.of(0, w, 0), value, (short) (t & 127), t);
            }
            ws[w].publish(base + (long) (BATCH / n) * n - 1);
        }
        ts = base + (long) (BATCH / n) * n;
        return drain(a, bh) + drain(b, bh);
    }

    private long drain(EsgReader r, Blackhole bh) {
        long sum = 0;
        while (r.nextRun(run, Long.MAX_VALUE)) {
            TupleBatch t = run.batch;
            for (int i = run.from; i < run.to; i++) {
                sum += t.keyGroup[i];
                bh.consume(t.value[i]);
            }
        }
        return sum;
    }
}
