package dev.stretch.engine.exec;

import dev.stretch.api.Collector;
import dev.stretch.api.KeySelector;
import dev.stretch.api.LongKeyCollector;
import dev.stretch.api.LongKeySelector;
import dev.stretch.api.LongMultiKeySelector;
import dev.stretch.api.MultiKeySelector;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.esg.TupleOrder;
import dev.stretch.engine.esg.WaitHook;

/**
 * One producer's writer(s) into one edge: numbers each tuple for the merge order, extracts the
 * consumer's key and key group once (so VSN readers skip foreign tuples by a {@code short[]} scan), and
 * in SN mode routes each tuple to its key's instance. Used by one thread at a time.
 *
 * <p>A multi-key consumer ({@link dev.stretch.engine.plan.KeySpec#isMulti()}) gets each element's distinct
 * keys, in the order the selector gave them: in VSN mode the element is written <em>once</em>, with all
 * its keys and key groups in the batch's multi-key columns, and every instance adds it for the keys it
 * owns; in SN mode a copy is written per key, each routed to its key's instance (as a shared-nothing
 * engine must). The copies of one element get consecutive orders in its lane, so in every instance the
 * keys of a key group see the elements in the same order as in VSN mode.
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
    private final LongMultiKeySelector<Object> longKeys;
    private final MultiKeySelector<Object, Object> objectKeys;
    private final int keyGroups;
    /** The current element's distinct keys (multi-key consumers), filled by the collectors below. */
    private short[] mGroups;
    private long[] mLong;
    private Object[] mObj;
    private int mCount;
    private boolean mNullKey;
    private final LongKeyCollector longCollector = this::collectLong;
    private final Collector<Object> objectCollector = this::collectObject;
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
        this.longKeys = edge.key == null ? null : edge.key.longMultiSelector();
        this.objectKeys = edge.key == null ? null : edge.key.objectMultiSelector();
        this.keyGroups = edge.keyGroups;
        if (longKeys != null || objectKeys != null) {
            mGroups = new short[8];
            mLong = longKeys != null ? new long[8] : null;
            mObj = objectKeys != null ? new Object[8] : null;
        }
    }

    @Override
    public void emit(long ts, int lane, Object value) {
        if (mGroups != null) {
            emitMulti(ts, lane, value);
            return;
        }
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

    /** A multi-key element: once with all its keys (VSN), or a copy per key to the key's instance (SN). */
    private void emitMulti(long ts, int lane, Object value) {
        progress.advance(ts - 1);
        mCount = 0;
        mNullKey = false;
        try {
            if (longKeys != null) {
                longKeys.keys(value, longCollector);
            } else {
                objectKeys.keys(value, objectCollector);
            }
        } catch (Exception e) {
            clearObjectKeys();
            ctx.badRecord(edge.consumerCounters, value, ts, "key selector threw", e);
            return;
        }
        if (mNullKey) {
            clearObjectKeys();
            ctx.badRecord(edge.consumerCounters, value, ts, "null key", null);
            return;
        }
        int n = mCount;
        if (n == 0) {
            return; // it belongs to no key; the progress above still moves event time on
        }
        if (route == null) {
            long order = TupleOrder.of(edge.id, lane, edge.lanes.next(lane, ts));
            EsgWriter w = writers[0];
            TupleBatch b = claim(w);
            b.addMulti(ts, order, value, n, mGroups, mLong, mObj);
            counters.out++;
            if (b.isFull()) {
                w.publish(progress.value);
            }
        } else {
            for (int j = 0; j < n; j++) {
                long order = TupleOrder.of(edge.id, lane, edge.lanes.next(lane, ts));
                int g = mGroups[j];
                EsgWriter w = writers[route[g]];
                TupleBatch b = claim(w);
                if (mLong != null) {
                    b.add(ts, order, value, (short) g, mLong[j]);
                } else {
                    b.add(ts, order, value, (short) g, mObj[j]);
                }
                counters.out++;
                if (b.isFull()) {
                    w.publish(progress.value);
                }
            }
        }
        clearObjectKeys();
    }

    private void collectLong(long k) {
        for (int j = 0; j < mCount; j++) {
            if (mLong[j] == k) {
                return; // each distinct key once
            }
        }
        int j = growKeys();
        mLong[j] = k;
        mGroups[j] = (short) KeyGroups.of(k, keyGroups);
    }

    private void collectObject(Object k) {
        if (k == null) {
            mNullKey = true;
            return;
        }
        for (int j = 0; j < mCount; j++) {
            if (mObj[j].equals(k)) {
                return; // each distinct key once
            }
        }
        int j = growKeys();
        mObj[j] = k;
        mGroups[j] = (short) KeyGroups.of(k, keyGroups);
    }

    private int growKeys() {
        int j = mCount;
        if (j == mGroups.length) {
            int c = j * 2;
            mGroups = java.util.Arrays.copyOf(mGroups, c);
            if (mLong != null) {
                mLong = java.util.Arrays.copyOf(mLong, c);
            }
            if (mObj != null) {
                mObj = java.util.Arrays.copyOf(mObj, c);
            }
        }
        mCount = j + 1;
        return j;
    }

    private void clearObjectKeys() {
        if (mObj != null) {
            java.util.Arrays.fill(mObj, 0, mCount, null);
        }
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
