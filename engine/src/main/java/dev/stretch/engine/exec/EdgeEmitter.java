package dev.stretch.engine.exec;

import dev.stretch.api.KeySelector;
import dev.stretch.api.LongKeySelector;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.esg.TupleOrder;
import dev.stretch.engine.esg.WaitHook;

/**
 * One producer's writer(s) into one edge: numbers each tuple for the merge order, extracts the
 * consumer's key and key group once (so VSN readers skip foreign tuples by a {@code short[]} scan), and
 * in SN mode routes each tuple to its key's instance. Used by one thread at a time.
 */
final class EdgeEmitter implements Output {
    private final Edge edge;
    private final EsgWriter[] writers;
    private final short[] route;
    private final JobContext ctx;
    private final ProducerProgress progress;
    private final WaitHook hook;
    private final Backoff backoff;
    private final InstanceCounters counters;
    private final LongKeySelector<Object> longKey;
    private final KeySelector<Object, Object> objectKey;
    private final int keyGroups;
    /** Never wait for room: fill batches outside full rings instead (see {@link EsgWriter#claimOrSpill}). */
    private boolean spill;

    EdgeEmitter(Edge edge, EsgWriter[] writers, short[] route, JobContext ctx, ProducerProgress progress,
            WaitHook hook, Backoff backoff, InstanceCounters counters) {
        this.edge = edge;
        this.writers = writers;
        this.route = route;
        this.ctx = ctx;
        this.progress = progress;
        this.hook = hook;
        this.backoff = backoff;
        this.counters = counters;
        this.longKey = edge.key == null ? null : edge.key.longSelector();
        this.objectKey = edge.key == null ? null : edge.key.objectSelector();
        this.keyGroups = edge.keyGroups;
    }

    @Override
    public void emit(long ts, int lane, Object value) {
        long order = TupleOrder.of(edge.id, lane, edge.lanes.next(lane, ts));
        progress.advance(ts - 1); // the producer's output is sorted: nothing later is below ts
        EsgWriter w;
        TupleBatch b;
        if (longKey != null) {
            long k;
            try {
                k = longKey.getKey(value);
            } catch (Exception e) {
                ctx.badRecord(edge.consumerCounters, value, ts, "key selector threw", e);
                return;
            }
            int g = KeyGroups.of(k, keyGroups);
            w = route == null ? writers[0] : writers[route[g]];
            b = claim(w);
            b.add(ts, order, value, (short) g, k);
        } else if (objectKey != null) {
            Object k;
            try {
                k = objectKey.getKey(value);
            } catch (Exception e) {
                ctx.badRecord(edge.consumerCounters, value, ts, "key selector threw", e);
                return;
            }
            if (k == null) {
                ctx.badRecord(edge.consumerCounters, value, ts, "null key", null);
                return;
            }
            int g = KeyGroups.of(k, keyGroups);
            w = route == null ? writers[0] : writers[route[g]];
            b = claim(w);
            b.add(ts, order, value, (short) g, k);
        } else {
            w = writers[0];
            b = claim(w);
            b.add(ts, order, value);
        }
        counters.out++;
        if (b.isFull()) {
            w.publish(progress.value);
        }
    }

    /**
     * A batch from one lane, for a long key: the order numbers come from the lane's (timestamp, sequence)
     * pair held in locals for the whole batch (written back at the end, also when a bad record's policy
     * throws), and the producer's progress is raised only where it is published (a claim that may wait, a
     * full batch, the end of the batch); in between it lags, which only makes what others see of it
     * conservative. Same tuples, orders and key groups as {@link #emit} one by one.
     */
    @Override
    public void emitBatch(long[] ts, Object[] values, int from, int to, int lane) {
        if (longKey == null) {
            for (int i = from; i < to; i++) {
                emit(ts[i], lane, values[i]);
            }
            return;
        }
        LaneSequencer lanes = edge.lanes;
        long prevTs = lanes.lastTs(lane);
        long seq = lanes.seq(lane);
        long n = 0;
        try {
            for (int i = from; i < to; i++) {
                long t = ts[i];
                if (t == prevTs) {
                    seq++;
                } else {
                    prevTs = t;
                    seq = 0;
                }
                Object v = values[i];
                long k;
                try {
                    k = longKey.getKey(v);
                } catch (Exception e) {
                    progress.advance(t - 1);
                    ctx.badRecord(edge.consumerCounters, v, t, "key selector threw", e);
                    continue;
                }
                int g = KeyGroups.of(k, keyGroups);
                EsgWriter w = route == null ? writers[0] : writers[route[g]];
                TupleBatch b = w.current();
                if (b == null) {
                    progress.advance(t - 1);
                    b = claim(w);
                }
                b.add(t, TupleOrder.of(edge.id, lane, seq), v, (short) g, k);
                n++;
                if (b.isFull()) {
                    progress.advance(t - 1);
                    w.publish(progress.value);
                }
            }
        } finally {
            lanes.set(lane, prevTs, seq);
            counters.out += n;
        }
        progress.advance(ts[to - 1] - 1);
    }

    private TupleBatch claim(EsgWriter w) {
        TupleBatch b = w.current();
        if (b != null) {
            return b;
        }
        if (spill) {
            return w.claimOrSpill();
        }
        progress.blockedOn = w;
        return w.claim(progress.group, backoff);
    }

    void spillWhenFull() {
        spill = true;
    }

    boolean hasSpilled() {
        for (EsgWriter w : writers) {
            if (w.hasSpilled()) {
                return true;
            }
        }
        return false;
    }

    /** Moves what waits outside full rings in as far as room allows; returns whether nothing waits now. */
    boolean drainSpilled() {
        boolean clear = true;
        for (EsgWriter w : writers) {
            clear &= w.drainSpilled();
        }
        return clear;
    }

    /** Publishes open batches and announces the producer's progress on every writer. */
    void flush() {
        for (EsgWriter w : writers) {
            w.publish(progress.value);
        }
    }

    /** Publishes what every writer but {@code except} holds, with the producer's progress. */
    void flushExcept(EsgWriter except) {
        for (EsgWriter w : writers) {
            if (w != except) {
                w.publish(progress.value);
            }
        }
    }

    void close() {
        for (EsgWriter w : writers) {
            w.close();
        }
    }

    /** The furthest progress of the other writers into this edge's gate(s) (see {@link Stage.Outputs#othersProgress}). */
    long othersProgress() {
        long max = Long.MIN_VALUE;
        for (EsgWriter w : writers) {
            max = Math.max(max, w.gate().maxProgressExcept(w));
        }
        return max;
    }

    WaitHook instanceHook() {
        return hook;
    }

    /**
     * How far one producer has got, shared by its emitters (one per out edge), and what they do while one
     * of them waits for room.
     *
     * <p>A producer that blocks on one writer's full ring first publishes what all its other writers hold,
     * with its progress. Otherwise a consumer that receives nothing from the blocked writer would wait for
     * the producer's progress on another writer while the consumer of the full ring waits for that one: in
     * SN mode, an instance starved of its share while a sibling's ring is full; with fan-out, the two
     * sides of a join fed by one producer.
     */
    static final class ProducerProgress {
        long value = Long.MIN_VALUE;
        EsgWriter blockedOn;
        EdgeEmitter[] emitters = new EdgeEmitter[0];
        private boolean flushedWhileBlocked;
        private WaitHook instanceHook = WaitHook.NONE;
        final WaitHook group = new WaitHook() {
            @Override
            public void onWait() {
                if (!flushedWhileBlocked) {
                    flushedWhileBlocked = true;
                    for (EdgeEmitter e : emitters) {
                        e.flushExcept(blockedOn);
                    }
                }
                instanceHook.onWait();
            }

            @Override
            public void waited(long nanos) {
                instanceHook.waited(nanos);
            }
        };

        void advance(long p) {
            if (p > value) {
                value = p;
            }
            flushedWhileBlocked = false;
        }

        void init(EdgeEmitter[] es, WaitHook hook) {
            this.emitters = es;
            this.instanceHook = hook;
        }
    }
}
