package dev.stretch.engine.exec;

import dev.stretch.api.JobFailedException;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.engine.plan.SinkNode;

/**
 * A sink chained into the stage that produces its input: each producer task (a source split, a window
 * instance) writes to its own {@link SinkWriter}, created with the task's index, on the task's thread.
 * No gate and no thread of its own; its instance count is the producer's, and follows it when the
 * producer is rescaled (a removed instance closes its writer, an added one opens one).
 *
 * <p><b>Threads and memory ordering.</b> A writer belongs to one producer task and is touched only by the
 * thread running that task; no writer is shared, so none needs synchronisation of its own. A window
 * instance's writer is opened when the instance is created (by the planner before the job starts, or in
 * {@code completeSwitch} for an added instance, before the instance is submitted to its thread: the
 * executor's hand-off orders the two) and closed by the instance itself when it is removed or its input
 * ends. A source split's writer moves between source threads with the split, under the split's busy flag
 * (its compare-and-set / volatile set pair orders one holder's writes before the next holder's). The
 * counts are plain fields of the task, added to the shared totals ({@code LongAdder}s) when it flushes.
 */
final class ChainedSink {
    final SinkNode node;
    final String name;
    final OperatorCounters counters;
    final Stage producer;

    ChainedSink(SinkNode node, Stage producer) {
        this.node = node;
        this.name = node.name();
        this.counters = new OperatorCounters(node.name());
        this.producer = producer;
    }

    /** Opens producer task {@code instance}'s writer. */
    @SuppressWarnings("unchecked")
    Writer open(int instance, InstanceCounters producer) {
        SinkWriter<Object> w;
        try {
            w = ((Sink<Object>) node.sink()).createWriter(instance);
        } catch (RuntimeException e) {
            throw new JobFailedException(name, "sink '" + name + "' could not open writer " + instance + ": " + e, e);
        } catch (Exception e) {
            throw new JobFailedException(name, "sink '" + name + "' could not open writer " + instance + ": " + e, e);
        }
        return new Writer(w, producer);
    }

    /**
     * One task's writer, as the leaf of its output chain. Its element count is a plain field of the task,
     * added to the sink's total whenever the task flushes (as for the other chained operators).
     */
    final class Writer extends ChainedOutputs.Counted {
        private final SinkWriter<Object> writer;
        /** The producing task's counters: what reaches the sink is the producer's output, as through an edge. */
        private final InstanceCounters producer;
        private boolean dirty;

        Writer(SinkWriter<Object> writer, InstanceCounters producer) {
            super(counters);
            this.writer = writer;
            this.producer = producer;
        }

        @Override
        public void emit(long ts, int lane, Object value) {
            try {
                writer.write(value, ts);
            } catch (JobFailedException | TaskStopped e) {
                throw e;
            } catch (Exception e) {
                throw new JobFailedException(name, "sink '" + name + "' failed to write record "
                        + JobContext.render(value) + ": " + e, e);
            }
            in++;
            producer.out++;
            dirty = true;
        }

        @Override
        void flushed() {
            if (dirty) {
                dirty = false;
                try {
                    writer.flush();
                } catch (Exception e) {
                    throw new JobFailedException(name, "sink '" + name + "' failed to flush: " + e, e);
                }
            }
        }

        @Override
        void closed() {
            flushed();
            try {
                writer.close();
            } catch (Exception e) {
                throw new JobFailedException(name, "sink '" + name + "' failed to close: " + e, e);
            }
        }
    }
}
