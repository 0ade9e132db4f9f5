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
 *
 * <h2>Producers whose output is sorted by timestamp only</h2>
 * A theta join's instance emits a timestamp's results in the order it compares them (trigger by trigger,
 * bucket by bucket), not in (timestamp, order) sequence, which every writer must follow. For such a
 * producer ({@link Edge#stagesWithinTimestamp}) the emitter numbers each element at once (its lane's
 * sequence, its key and key group, its bucket: all lane state is taken at emit time, so a lane handed
 * over at a reconfiguration in the middle of a timestamp is numbered in processing order), but keeps the
 * current timestamp's rows aside and writes them sorted by order when the producer moves past that
 * timestamp: at its next element with a later timestamp, or when its progress reaches it. Until then it
 * never announces progress at or above the staged timestamp.
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
    /**
     * Whether {@link #emitBatch} into one writer fills the batch a stretch at a time
     * ({@code -Dstretch.source.batchFill=false}: tuple by tuple, as before; read per emitter, so a benchmark
     * can alternate both in one JVM; for side-by-side measurement only).
     */
    private final boolean batchFill = !"false".equals(System.getProperty("stretch.source.batchFill"));
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
        this.staged = edge.stagesWithinTimestamp ? new Staged() : null;
        if (staged != null && edge.key != null && edge.key.isMulti()) {
            throw new IllegalArgumentException("a multi-key stage cannot take its input from a theta join (not supported)");
        }
        if (longKeys != null || objectKeys != null) {
            mGroups = new short[8];
            mLong = longKeys != null ? new long[8] : null;
            mObj = objectKeys != null ? new Object[8] : null;
        }
    }

    @Override
    public void emit(long ts, int lane, Object value) {
        if (staged != null) {
            stage(ts, lane, value);
            return;
        }
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
        } else if (edge.roundRobin != null) {
            int g = edge.roundRobin.next(lane);
            if (route != null && edge.broadcast) { // SN: a copy for every instance
                for (EsgWriter each : writers) {
                    TupleBatch eb = claim(each);
                    eb.add(ts, order, value, (short) g, 0L);
                    counters.out++;
                    if (eb.isFull()) {
                        each.publish(progress.value);
                    }
                }
                return;
            }
            w = route == null ? writers[0] : writers[route[g]];
            b = claim(w);
            b.add(ts, order, value, (short) g, 0L);
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
        if (longKey == null || staged != null || mGroups != null || edge.roundRobin != null) {
            for (int i = from; i < to; i++) {
                emit(ts[i], lane, values[i]);
            }
            return;
        }
        if (route == null && batchFill) {
            emitBatchOneWriter(ts, values, from, to, lane);
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

    /**
     * {@link #emitBatch} into a single writer (VSN, or one consumer instance): the batch is filled a stretch
     * at a time, as many tuples as it has room for, with the batch's columns, its fill index and the lane's
     * (timestamp, sequence) in locals; the batch takes the stretch at its end ({@link TupleBatch#appended},
     * which checks the first tuple against what came before, as {@code add} does per tuple). Within a
     * stretch the tuples ascend strictly: timestamps do not fall (checked) and the sequence grows on equal
     * ones. A key selector that throws ends the stretch before its tuple (the tuples before it are taken,
     * the bad record is reported, the next stretch starts after it). Same tuples, orders, key groups,
     * progress and counts as the per-tuple loop. Memory ordering as with {@code add}: the column stores are
     * plain, and readers load them only after acquiring the count that {@link EsgWriter#publish} releases.
     */
    private void emitBatchOneWriter(long[] ts, Object[] values, int from, int to, int lane) {
        LaneSequencer lanes = edge.lanes;
        long prevTs = lanes.lastTs(lane);
        long seq = lanes.seq(lane);
        final long laneOrder = TupleOrder.of(edge.id, lane, 0);
        final LongKeySelector<Object> sel = longKey;
        final int groups = keyGroups;
        final EsgWriter w = writers[0];
        long n = 0;
        int i = from;
        try {
            while (i < to) {
                TupleBatch b = w.current();
                if (b == null) {
                    progress.advance(ts[i] - 1);
                    b = claim(w);
                }
                int j = b.size;
                int end = Math.min(to, i + (b.capacity() - j));
                long[] bts = b.ts;
                long[] bord = b.order;
                Object[] bv = b.value;
                short[] bkg = b.keyGroup;
                long[] bk = b.longKey;
                int start = j;
                for (; i < end; i++) {
                    long t = ts[i];
                    if (t == prevTs) {
                        seq++;
                    } else {
                        if (t < prevTs) {
                            n += j - start;
                            throw b.outOfOrder(t, laneOrder, j);
                        }
                        prevTs = t;
                        seq = 0;
                    }
                    Object v = values[i];
                    long k;
                    try {
                        k = sel.getKey(v);
                    } catch (Exception e) {
                        b.appended(j);
                        n += j - start;
                        start = j;
                        i++;
                        progress.advance(t - 1);
                        ctx.badRecord(edge.consumerCounters, v, t, "key selector threw", e);
                        break;
                    }
                    bts[j] = t;
                    bord[j] = laneOrder | seq;
                    bv[j] = v;
                    bkg[j] = (short) KeyGroups.of(k, groups);
                    bk[j] = k;
                    j++;
                }
                b.appended(j);
                n += j - start;
                if (b.isFull()) {
                    progress.advance(bts[j - 1] - 1);
                    w.publish(progress.value);
                }
            }
        } finally {
            lanes.set(lane, prevTs, seq);
            counters.out += n;
        }
        progress.advance(ts[to - 1] - 1);
    }

    // ------------------------------------------------------------------ staging (see the class comment)

    /** Rows of the staged timestamp, or {@code null} when the producer's output is sorted (the usual case). */
    private final Staged staged;

    /** The current timestamp's rows, numbered but not yet written. */
    private static final class Staged {
        long ts = Long.MIN_VALUE;
        int n;
        long[] order = new long[64];
        Object[] value = new Object[64];
        short[] group = new short[64];
        long[] longKey = new long[64];
        Object[] key = new Object[64];
        int[] writer = new int[64];

        int add(long o, Object v, int w) {
            int i = n;
            if (i == order.length) {
                int c = i * 2;
                order = java.util.Arrays.copyOf(order, c);
                value = java.util.Arrays.copyOf(value, c);
                group = java.util.Arrays.copyOf(group, c);
                longKey = java.util.Arrays.copyOf(longKey, c);
                key = java.util.Arrays.copyOf(key, c);
                writer = java.util.Arrays.copyOf(writer, c);
            }
            order[i] = o;
            value[i] = v;
            writer[i] = w;
            n = i + 1;
            return i;
        }

        void swap(int a, int b) {
            long o = order[a]; order[a] = order[b]; order[b] = o;
            Object v = value[a]; value[a] = value[b]; value[b] = v;
            short g = group[a]; group[a] = group[b]; group[b] = g;
            long l = longKey[a]; longKey[a] = longKey[b]; longKey[b] = l;
            Object k = key[a]; key[a] = key[b]; key[b] = k;
            int w = writer[a]; writer[a] = writer[b]; writer[b] = w;
        }

        int compare(int a, int b) {
            int c = Long.compare(order[a], order[b]);
            return c != 0 ? c : Integer.compare(writer[a], writer[b]);
        }
    }

    /** Numbers an element now (all lane state), keeps it with its timestamp's rows. */
    private void stage(long ts, int lane, Object value) {
        Staged s = staged;
        if (s.n > 0 && ts != s.ts) {
            writeStaged(); // the producer has moved past the staged timestamp
        }
        s.ts = ts;
        long order = TupleOrder.of(edge.id, lane, edge.lanes.next(lane, ts));
        progress.advance(ts - 1);
        if (longKey != null) {
            long k;
            try {
                k = longKey.getKey(value);
            } catch (Exception e) {
                ctx.badRecord(edge.consumerCounters, value, ts, "key selector threw", e);
                return;
            }
            int g = KeyGroups.of(k, keyGroups);
            int i = s.add(order, value, route == null ? 0 : route[g]);
            s.group[i] = (short) g;
            s.longKey[i] = k;
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
            int i = s.add(order, value, route == null ? 0 : route[g]);
            s.group[i] = (short) g;
            s.key[i] = k;
        } else if (edge.roundRobin != null) {
            int g = edge.roundRobin.next(lane);
            if (route != null && edge.broadcast) {
                for (int w = 0; w < writers.length; w++) {
                    s.add(order, value, w);
                    s.group[s.n - 1] = (short) g;
                }
            } else {
                int i = s.add(order, value, route == null ? 0 : route[g]);
                s.group[i] = (short) g;
            }
        } else {
            s.add(order, value, 0);
        }
    }

    /**
     * Writes the staged rows, sorted by order. Full batches go out with progress just below the staged
     * timestamp: rows of it may still follow in the same writer.
     */
    private void writeStaged() {
        Staged s = staged;
        int n = s.n;
        if (n == 0) {
            return;
        }
        if (n > 1) {
            it.unimi.dsi.fastutil.Arrays.quickSort(0, n, s::compare, s::swap);
        }
        long ts = s.ts;
        long cap = Math.min(progress.value, ts - 1);
        for (int i = 0; i < n; i++) {
            EsgWriter w = writers[s.writer[i]];
            TupleBatch b = claim(w);
            if (longKey != null) {
                b.add(ts, s.order[i], s.value[i], s.group[i], s.longKey[i]);
            } else if (objectKey != null) {
                b.add(ts, s.order[i], s.value[i], s.group[i], s.key[i]);
            } else if (edge.roundRobin != null) {
                b.add(ts, s.order[i], s.value[i], s.group[i], 0L);
            } else {
                b.add(ts, s.order[i], s.value[i]);
            }
            counters.out++;
            if (b.isFull()) {
                w.publish(cap);
            }
        }
        java.util.Arrays.fill(s.value, 0, n, null);
        java.util.Arrays.fill(s.key, 0, n, null);
        s.n = 0;
    }

    /** The progress this emitter may announce: never at or above a staged timestamp. */
    private long announceable() {
        Staged s = staged;
        return s != null && s.n > 0 ? Math.min(progress.value, s.ts - 1) : progress.value;
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

    /**
     * Registers {@code t} with every writer that holds batches outside its full ring, to be unparked when room
     * frees up ({@link EsgWriter#awaitRoom}). Returns {@code false} when some such writer has room already.
     */
    boolean awaitRoom(Thread t) {
        for (EsgWriter w : writers) {
            if (w.hasSpilled() && !w.awaitRoom(t)) {
                return false;
            }
        }
        return true;
    }

    void stopAwaiting() {
        for (EsgWriter w : writers) {
            w.stopAwaiting();
        }
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
        if (staged != null && staged.n > 0 && progress.value >= staged.ts) {
            writeStaged(); // the producer's progress passed the staged timestamp: nothing more comes at it
        }
        long p = announceable();
        for (EsgWriter w : writers) {
            w.publish(p);
        }
    }

    /** Publishes what every writer but {@code except} holds, with the producer's progress. */
    void flushExcept(EsgWriter except) {
        for (EsgWriter w : writers) {
            if (w != except) {
                w.publish(announceable());
            }
        }
    }

    void close() {
        if (staged != null) {
            writeStaged();
        }
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
