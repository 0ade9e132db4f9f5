package dev.stretch.engine.exec;

import dev.stretch.api.JobFailedException;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.EsgReader;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.Run;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.esg.TupleOrder;
import dev.stretch.api.InstanceMetrics;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.plan.SinkNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink: reads its gate in (timestamp, order) sequence and hands elements to the user's writers. With
 * several instances, each takes the lanes (edge, lane) that hash to it, so each writer still sees its
 * share in order.
 */
final class SinkStage extends Stage implements InputPort {
    private final SinkNode node;
    private final int parallelism;
    private ElasticScaleGate gate;
    private final List<Instance> instances = new ArrayList<>();

    SinkStage(SinkNode node, JobContext ctx, int parallelism) {
        super(node.name(), "sink", ctx);
        this.node = node;
        this.parallelism = parallelism;
    }

    @Override
    int lanes() {
        return 1;
    }

    @Override
    void initInput() {
        gate = new ElasticScaleGate(name, ctx.config.ringBatches(), ctx.config.batchSize());
        for (int i = 0; i < parallelism; i++) {
            instances.add(new Instance(i, gate.addReader()));
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    void init() throws Exception {
        for (Instance in : instances) {
            in.writer = ((Sink<Object>) node.sink()).createWriter(in.index);
        }
    }

    @Override
    void start() {
        for (Instance in : instances) {
            ctx.submit(in);
        }
    }

    @Override
    public EsgWriter[] addWriters(int side, long startProgress) {
        return new EsgWriter[] {gate.addWriter(side, startProgress)};
    }

    @Override
    public short[] route() {
        return null;
    }

    @Override
    public List<ElasticScaleGate> inputGates() {
        return List.of(gate);
    }

    @Override
    int instances() {
        return parallelism;
    }

    @Override
    OperatorMetrics metrics() {
        List<InstanceMetrics> per = new ArrayList<>();
        long in = 0;
        long busy = 0;
        long wm = Long.MAX_VALUE;
        for (Instance i : instances) {
            InstanceMetrics m = i.counters.snapshot();
            per.add(m);
            in += m.tuplesIn();
            busy += m.busyNanos();
            wm = Math.min(wm, m.watermark());
        }
        long maxTs = Long.MIN_VALUE;
        for (EsgWriter w : gate.writers()) {
            long p = w.progress();
            if (p != Long.MAX_VALUE) {
                maxTs = Math.max(maxTs, p);
            }
        }
        return new OperatorMetrics(name, kind, parallelism, in, 0, busy, 0, counters.bad.sum(),
                counters.deadLetters.sum(), gate.backlogTuples(), wm, maxTs, 0, 0, per);
    }

    private final class Instance implements Runnable {
        final int index;
        final EsgReader reader;
        final InstanceCounters counters;
        SinkWriter<Object> writer;

        Instance(int index, EsgReader reader) {
            this.index = index;
            this.reader = reader;
            this.counters = new InstanceCounters(index);
        }

        @Override
        public void run() {
            Run run = new Run();
            Backoff backoff = new Backoff();
            boolean dirty = false;
            while (true) {
                ctx.checkRunning();
                if (reader.nextRun(run, Long.MAX_VALUE, Long.MAX_VALUE)) {
                    long t0 = System.nanoTime();
                    write(run);
                    counters.busy += System.nanoTime() - t0;
                    counters.read += run.size();
                    counters.watermark = run.lastTs() - 1;
                    counters.publish();
                    progress(counters.watermark);
                    dirty = true;
                    backoff.reset();
                    continue;
                }
                long wm = reader.watermark();
                if (wm > counters.watermark) {
                    counters.watermark = wm;
                    counters.publish();
                    progress(wm);
                }
                if (dirty) {
                    flush();
                    dirty = false;
                }
                if (wm == Long.MAX_VALUE) {
                    close();
                    return;
                }
                backoff.idle();
            }
        }

        private void write(Run run) {
            TupleBatch b = run.batch;
            long n = 0;
            for (int i = run.from; i < run.to; i++) {
                if (parallelism > 1 && owner(b.order[i]) != index) {
                    continue;
                }
                try {
                    writer.write(b.value[i], b.ts[i]);
                } catch (Exception e) {
                    throw new JobFailedException(name, "sink '" + name + "' failed to write record "
                            + JobContext.render(b.value[i]) + ": " + e, e);
                }
                n++;
            }
            counters.in += n;
        }

        private int owner(long order) {
            int lane = (TupleOrder.stage(order) << 16) | TupleOrder.lane(order);
            return Math.floorMod(lane * 0x9E3779B1, parallelism);
        }

        private void progress(long watermark) {
            try {
                writer.progress(watermark);
            } catch (Exception e) {
                throw new JobFailedException(name, "sink '" + name + "' failed: " + e, e);
            }
        }

        private void flush() {
            try {
                writer.flush();
            } catch (Exception e) {
                throw new JobFailedException(name, "sink '" + name + "' failed to flush: " + e, e);
            }
        }

        private void close() {
            try {
                writer.close();
            } catch (Exception e) {
                throw new JobFailedException(name, "sink '" + name + "' failed to close: " + e, e);
            }
        }
    }
}
