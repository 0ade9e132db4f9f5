package dev.stretch.engine.exec;

import dev.stretch.api.Collector;
import dev.stretch.api.FilterFunction;
import dev.stretch.api.FlatMapFunction;
import dev.stretch.api.JobFailedException;
import dev.stretch.api.MapFunction;

/**
 * The stateless operators, run chained into the producing task. Each catches what its own user function
 * throws and hands the element to the job's error policy under its own name; what happens further down
 * the chain is the business of the operators there.
 */
final class ChainedOutputs {
    private ChainedOutputs() {
    }

    /**
     * A chained operator's element counts in the producing task: plain fields, counted by that task's
     * thread alone and added to the operator's shared totals whenever the task flushes its output
     * ({@link Stage.Outputs#flush}), so the hot path pays no shared write per element.
     */
    abstract static class Counted implements Output {
        final OperatorCounters op;
        long in;
        long out;

        Counted(OperatorCounters op) {
            this.op = op;
        }

        /** The task published its output (a chained sink flushes its writer). Called by the owning task. */
        void flushed() {
        }

        /** The task ended or was removed (a chained sink closes its writer). Called by the owning task. */
        void closed() {
        }

        /** Adds what was counted since the last call to the operator's totals. Called by the owning task. */
        void publishCounts() {
            if (in != 0) {
                op.chainedIn.add(in);
                in = 0;
            }
            if (out != 0) {
                op.chainedOut.add(out);
                out = 0;
            }
        }
    }

    static final class MapOutput extends Counted {
        private final MapFunction<Object, Object> f;
        private final Output next;
        private final JobContext ctx;

        @SuppressWarnings("unchecked")
        MapOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            super(op);
            this.f = (MapFunction<Object, Object>) f;
            this.next = next;
            this.ctx = ctx;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            in++;
            Object r;
            try {
                r = f.map(value);
            } catch (Exception e) {
                ctx.badRecord(op, value, ts, "map function threw", e);
                return;
            }
            out++;
            next.emit(ts, lane, r);
        }
    }

    static final class FilterOutput extends Counted {
        private final FilterFunction<Object> f;
        private final Output next;
        private final JobContext ctx;

        @SuppressWarnings("unchecked")
        FilterOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            super(op);
            this.f = (FilterFunction<Object>) f;
            this.next = next;
            this.ctx = ctx;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            in++;
            boolean keep;
            try {
                keep = f.filter(value);
            } catch (Exception e) {
                ctx.badRecord(op, value, ts, "filter function threw", e);
                return;
            }
            if (keep) {
                out++;
                next.emit(ts, lane, value);
            }
        }
    }

    static final class FlatMapOutput extends Counted implements Collector<Object> {
        private final FlatMapFunction<Object, Object> f;
        private final Output next;
        private final JobContext ctx;
        private long ts;
        private int lane;

        @SuppressWarnings("unchecked")
        FlatMapOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            super(op);
            this.f = (FlatMapFunction<Object, Object>) f;
            this.next = next;
            this.ctx = ctx;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            in++;
            long savedTs = this.ts;
            int savedLane = this.lane;
            this.ts = ts;
            this.lane = lane;
            try {
                f.flatMap(value, this);
            } catch (JobFailedException | TaskStopped e) {
                throw e; // raised further down the chain
            } catch (Exception e) {
                ctx.badRecord(op, value, ts, "flatMap function threw", e);
            } finally {
                this.ts = savedTs;
                this.lane = savedLane;
            }
        }

        @Override
        public void collect(Object record) {
            out++;
            next.emit(ts, lane, record);
        }
    }

    static final class FanOut implements Output {
        private final Output[] outs;

        FanOut(Output[] outs) {
            this.outs = outs;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            for (Output o : outs) {
                o.emit(ts, lane, value);
            }
        }
    }
}
