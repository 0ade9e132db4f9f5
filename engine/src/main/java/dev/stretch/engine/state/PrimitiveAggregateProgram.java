package dev.stretch.engine.state;

import dev.stretch.api.DoubleField;
import dev.stretch.api.DoubleWindowResult;
import dev.stretch.api.LongField;
import dev.stretch.api.LongWindowResult;
import dev.stretch.api.PrimitiveAggregation;
import dev.stretch.api.PrimitiveAggregation.Kind;
import dev.stretch.api.TimeWindow;
import dev.stretch.api.WindowResult;
import dev.stretch.api.WindowResultFunction;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.plan.PrimitiveResults;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/**
 * Built-in aggregations (count, sum, min, max, avg over a long or double field) with their state in
 * primitive columns: per pane, a {@code long[]} or {@code double[]} of values and, for averages, a
 * {@code long[]} of counts. An update is a hash probe and an array write; nothing is allocated per
 * element. Sliding windows merge the columns of their panes.
 *
 * <p><b>Sliding windows over long keys</b> ({@link WindowKeys}): each key group keeps one index of the keys
 * its live panes hold, and each pane table notes, per slot, its key's slot in that index (one extra probe
 * when a key first enters a pane). A closing window then merges its panes by array index instead of
 * probing a hash table for every key of every pane (a window of {@code k} panes paid {@code k} probes per
 * key on every close); results come out in the same order (first appearance over the panes, oldest first).
 * A key leaves the index when the last live pane holding it expires. {@code -Dstretch.window.sharedKeys=false}
 * switches this off (side-by-side measurements).
 */
public final class PrimitiveAggregateProgram extends WindowProgram {
    static final boolean SHARED_KEYS = !"false".equals(System.getProperty("stretch.window.sharedKeys"));

    private final PrimitiveAggregation<Object, Object> agg;
    private final Kind kind;
    private final boolean dbl;
    private final LongField<Object> longField;
    private final DoubleField<Object> doubleField;
    private final WindowResultFunction<Object, Object, Object> result;
    /** Results built from primitives: a {@code LongWindowResult} / {@code DoubleWindowResult}, no boxing. */
    private final boolean longResult;
    private final boolean doubleResult;

    public PrimitiveAggregateProgram(boolean longKeys, PrimitiveAggregation<Object, Object> agg,
            WindowResultFunction<Object, Object, Object> result) {
        super(longKeys);
        this.agg = agg;
        this.kind = agg.kind();
        this.dbl = agg.isDouble();
        this.longField = agg.longField();
        this.doubleField = agg.doubleField();
        this.result = result;
        this.longResult = longKeys && result == PrimitiveResults.LONG && !dbl && kind != Kind.AVG;
        this.doubleResult = longKeys && result == PrimitiveResults.DOUBLE;
    }

    @Override
    public PaneTable newPaneTable() {
        return new Table(null);
    }

    @Override
    public Object newGroupState(int panesPerWindow) {
        return SHARED_KEYS && longKeys && panesPerWindow > 1 ? new WindowKeys() : null;
    }

    @Override
    public PaneTable newPaneTable(Object group) {
        return new Table((WindowKeys) group);
    }

    @Override
    public void expirePane(Object group, PaneTable t, long firstKept) {
        ((WindowKeys) group).expire((Table) t, firstKept);
    }

    @Override
    public Object newScratch() {
        return new Table(null);
    }

    @Override
    public void emit(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out, Object scratch) {
        if (count > 1) {
            WindowKeys wk = null;
            for (int j = 0; j < count && wk == null; j++) {
                if (panes[j] != null) {
                    wk = ((Table) panes[j]).wk;
                }
            }
            if (wk != null) {
                emitIndexed(wk, panes, count, w, lane, out);
                return;
            }
        }
        Table src;
        if (count == 1) {
            src = (Table) panes[0];
        } else {
            src = (Table) scratch;
            src.clear();
            for (int j = 0; j < count; j++) {
                Table p = (Table) panes[j];
                if (p == null) {
                    continue;
                }
                for (int s = 0, n = p.keys.size(); s < n; s++) {
                    int ws = src.keys.slotOfKeyIn(p.keys, s);
                    if (src.keys.added()) {
                        src.init(ws);
                    }
                    src.mergeFrom(ws, p, s);
                }
            }
        }
        long ts = w.maxTimestamp();
        if (longResult || doubleResult) {
            LongKeyIndex keys = (LongKeyIndex) src.keys;
            for (int s = 0, n = keys.size(); s < n; s++) {
                Object o = longResult ? new LongWindowResult(keys.longKeyAt(s), w.start(), w.end(), src.lv[s])
                        : new DoubleWindowResult(keys.longKeyAt(s), w.start(), w.end(), src.doubleResult(s));
                out.emit(ts, lane, o);
            }
            return;
        }
        for (int s = 0, n = src.keys.size(); s < n; s++) {
            Object key = src.keys.keyAt(s);
            Object value = src.result(s);
            Object o;
            if (result == null) {
                o = new WindowResult<>(key, w.start(), w.end(), value);
            } else {
                try {
                    o = result.apply(key, w, value);
                } catch (Exception e) {
                    out.outputFailed(key, w, e);
                    continue;
                }
            }
            out.emit(ts, lane, o);
        }
    }

    /** {@link #emit} of a sliding window over long keys: panes merged through the key group's {@link WindowKeys}. */
    private void emitIndexed(WindowKeys wk, PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out) {
        Table acc = wk.acc;
        int epoch = ++wk.epoch;
        int n = 0;
        int[] touched = wk.touched;
        for (int j = 0; j < count; j++) {
            Table p = (Table) panes[j];
            if (p == null) {
                continue;
            }
            int[] wslot = p.wslot;
            for (int s = 0, size = p.keys.size(); s < size; s++) {
                int ws = wslot[s];
                if (wk.mark[ws] != epoch) { // first pane of this window holding the key: start its total
                    wk.mark[ws] = epoch;
                    acc.init(ws);
                    if (n == touched.length) {
                        touched = wk.touched = Arrays.copyOf(touched, n * 2);
                    }
                    touched[n++] = ws;
                }
                acc.mergeFrom(ws, p, s);
            }
        }
        long ts = w.maxTimestamp();
        long[] keyOf = wk.keyOf;
        if (longResult || doubleResult) {
            for (int i = 0; i < n; i++) {
                int ws = touched[i];
                Object o = longResult ? new LongWindowResult(keyOf[ws], w.start(), w.end(), acc.lv[ws])
                        : new DoubleWindowResult(keyOf[ws], w.start(), w.end(), acc.doubleResult(ws));
                out.emit(ts, lane, o);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int ws = touched[i];
            Object key = keyOf[ws];
            Object value = acc.result(ws);
            Object o;
            if (result == null) {
                o = new WindowResult<>(key, w.start(), w.end(), value);
            } else {
                try {
                    o = result.apply(key, w, value);
                } catch (Exception e) {
                    out.outputFailed(key, w, e);
                    continue;
                }
            }
            out.emit(ts, lane, o);
        }
    }

    /**
     * One key group's index of the long keys its live panes hold (sliding windows): key to a dense slot, the
     * key and the last pane holding it per slot, and the window totals a closing window accumulates per slot.
     * Touched only by the key group's owner (handed over with the ownership, like the panes).
     */
    final class WindowKeys {
        private final Long2IntOpenHashMap index = new Long2IntOpenHashMap(16);
        long[] keyOf = new long[16];
        /** The latest pane holding the key, or {@link #FREE} for a free slot. */
        long[] lastPane = new long[16];
        /** The close that last started the slot's total (see {@link #epoch}). */
        int[] mark = new int[16];
        int[] touched = new int[16];
        /** Incremented per close; a slot whose mark differs has no total for the current close yet. */
        int epoch;
        /** Slots in use or freed: the next never-used slot. */
        private int high;
        private int[] free = new int[16];
        private int freeCount;
        /** The window totals, per slot (its own key index is unused). */
        final Table acc = new Table(null);

        static final long FREE = Long.MAX_VALUE;

        WindowKeys() {
            index.defaultReturnValue(-1);
        }

        /** The key's slot, added if absent, noting that pane {@code pane} holds it. */
        int add(long key, long pane) {
            int candidate = freeCount > 0 ? free[freeCount - 1] : high;
            int ws = index.putIfAbsent(key, candidate);
            if (ws >= 0) {
                if (pane > lastPane[ws]) {
                    lastPane[ws] = pane;
                }
                return ws;
            }
            if (freeCount > 0) {
                freeCount--;
            } else {
                high++;
                if (candidate == keyOf.length) {
                    int n = candidate * 2;
                    keyOf = Arrays.copyOf(keyOf, n);
                    lastPane = Arrays.copyOf(lastPane, n);
                    mark = Arrays.copyOf(mark, n);
                }
            }
            keyOf[candidate] = key;
            lastPane[candidate] = pane;
            mark[candidate] = epoch - 1; // not started in the current close (none runs while keys are added)
            return candidate;
        }

        /** Pane table {@code t} expires: its keys that no live pane holds any more leave the index. */
        void expire(Table t, long firstKept) {
            int[] wslot = t.wslot;
            for (int s = 0, n = t.keys.size(); s < n; s++) {
                int ws = wslot[s];
                if (lastPane[ws] < firstKept) { // FREE (already removed via another expiring pane) is never below
                    index.remove(keyOf[ws]);
                    lastPane[ws] = FREE;
                    if (freeCount == free.length) {
                        free = Arrays.copyOf(free, freeCount * 2);
                    }
                    free[freeCount++] = ws;
                }
            }
        }

        /** Keys in the index (tests). */
        int size() {
            return index.size();
        }
    }

    /** One pane's columns. */
    final class Table extends PaneTable {
        long[] lv = new long[16];
        double[] dv = dbl ? new double[16] : null;
        long[] cnt = kind == Kind.AVG ? new long[16] : null;
        /** The key group's index of live keys (sliding windows over long keys), else {@code null}. */
        final WindowKeys wk;
        /** Per slot: the key's slot in {@link #wk}. */
        int[] wslot;

        Table(WindowKeys wk) {
            super(longKeys);
            this.wk = wk;
            this.wslot = wk == null ? null : new int[16];
        }

        /** Reads the element's field first: if the user's extractor throws, the key is not added to the pane. */
        @Override
        public void update(TupleBatch batch, int i, int side) throws Exception {
            if (dbl) {
                double v = doubleField.get(batch.value[i]);
                int s = slot(batch, i);
                dv[s] = agg.combine(dv[s], v);
                count(s);
            } else if (kind == Kind.COUNT) {
                int s = slot(batch, i);
                lv[s]++;
                count(s);
            } else {
                long v = longField.get(batch.value[i]);
                int s = slot(batch, i);
                lv[s] = agg.combine(lv[s], v);
                count(s);
            }
        }

        /** As {@link #update}, for multi-key entry {@code j}: the same steps with the entry's key. */
        @Override
        public void updateKey(TupleBatch batch, int i, int j, int side) throws Exception {
            if (dbl) {
                double v = doubleField.get(batch.value[i]);
                int s = slotMulti(batch, j);
                dv[s] = agg.combine(dv[s], v);
                count(s);
            } else if (kind == Kind.COUNT) {
                int s = slotMulti(batch, j);
                lv[s]++;
                count(s);
            } else {
                long v = longField.get(batch.value[i]);
                int s = slotMulti(batch, j);
                lv[s] = agg.combine(lv[s], v);
                count(s);
            }
        }

        private int slotMulti(TupleBatch batch, int j) {
            int s = keys.slotOfMultiKey(batch, j);
            if (keys.added()) {
                init(s);
            }
            return s;
        }

        private int slot(TupleBatch batch, int i) {
            int s = keys.slotOf(batch, i);
            if (keys.added()) {
                init(s);
            }
            return s;
        }

        private void count(int s) {
            if (cnt != null) {
                cnt[s]++;
            }
        }

        void init(int s) {
            if (s >= lv.length) {
                int n = Math.max(s + 1, lv.length * 2);
                lv = Arrays.copyOf(lv, n);
                if (dv != null) {
                    dv = Arrays.copyOf(dv, n);
                }
                if (cnt != null) {
                    cnt = Arrays.copyOf(cnt, n);
                }
            }
            if (dbl) {
                dv[s] = agg.identityDouble();
            } else {
                lv[s] = agg.identityLong();
            }
            if (cnt != null) {
                cnt[s] = 0;
            }
            if (wk != null) {
                if (s >= wslot.length) {
                    wslot = Arrays.copyOf(wslot, Math.max(s + 1, wslot.length * 2));
                }
                wslot[s] = wk.add(((LongKeyIndex) keys).longKeyAt(s), pane);
            }
        }

        void mergeFrom(int s, Table p, int ps) {
            if (dbl) {
                dv[s] = kind == Kind.MIN || kind == Kind.MAX ? agg.combine(dv[s], p.dv[ps]) : dv[s] + p.dv[ps];
            } else {
                lv[s] = kind == Kind.MIN || kind == Kind.MAX ? agg.combine(lv[s], p.lv[ps]) : lv[s] + p.lv[ps];
            }
            if (cnt != null) {
                cnt[s] += p.cnt[ps];
            }
        }

        double doubleResult(int s) {
            if (kind == Kind.AVG) {
                return (dbl ? dv[s] : (double) lv[s]) / cnt[s];
            }
            return dbl ? dv[s] : (double) lv[s];
        }

        Object result(int s) {
            if (kind == Kind.AVG) {
                return (dbl ? dv[s] : (double) lv[s]) / cnt[s];
            }
            return dbl ? (Object) dv[s] : (Object) lv[s];
        }

        @Override
        protected void clearValues(int n) {
            // values are re-initialised slot by slot when keys are added again
        }
    }
}
