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

    static final class MapOutput implements Output {
        private final MapFunction<Object, Object> f;
        private final Output next;
        private final JobContext ctx;
        private final OperatorCounters op;

        @SuppressWarnings("unchecked")
        MapOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            this.f = (MapFunction<Object, Object>) f;
            this.next = next;
            this.ctx = ctx;
            this.op = op;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            Object r;
            try {
                r = f.map(value);
            } catch (Exception e) {
                ctx.badRecord(op, value, ts, "map function threw", e);
                return;
            }
            next.emit(ts, lane, r);
        }
    }

    static final class FilterOutput implements Output {
        private final FilterFunction<Object> f;
        private final Output next;
        private final JobContext ctx;
        private final OperatorCounters op;

        @SuppressWarnings("unchecked")
        FilterOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            this.f = (FilterFunction<Object>) f;
            this.next = next;
            this.ctx = ctx;
            this.op = op;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            boolean keep;
            try {
                keep = f.filter(value);
            } catch (Exception e) {
                ctx.badRecord(op, value, ts, "filter function threw", e);
                return;
            }
            if (keep) {
                next.emit(ts, lane, value);
            }
        }
    }

    static final class FlatMapOutput implements Output, Collector<Object> {
        private final FlatMapFunction<Object, Object> f;
        private final Output next;
        private final JobContext ctx;
        private final OperatorCounters op;
        private long ts;
        private int lane;

        @SuppressWarnings("unchecked")
        FlatMapOutput(Object f, Output next, JobContext ctx, OperatorCounters op) {
            this.f = (FlatMapFunction<Object, Object>) f;
            this.next = next;
            this.ctx = ctx;
            this.op = op;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
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
