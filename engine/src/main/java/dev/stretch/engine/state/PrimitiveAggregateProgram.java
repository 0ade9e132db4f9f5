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
import java.util.Arrays;

/**
 * Built-in aggregations (count, sum, min, max, avg over a long or double field) with their state in
 * primitive columns: per pane, a {@code long[]} or {@code double[]} of values and, for averages, a
 * {@code long[]} of counts. An update is a hash probe and an array write; nothing is allocated per
 * element. Sliding windows merge the columns of their panes.
 */
public final class PrimitiveAggregateProgram extends WindowProgram {
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

    /** Whether {@link KeyGroupState#addHot} can add to this program's panes: long keys, long values. */
    boolean hasHotPath() {
        return longKeys && !dbl;
    }

    long[] values(PaneTable t) {
        return ((Table) t).lv;
    }

    long[] counts(PaneTable t) {
        return ((Table) t).cnt;
    }

    /** {@link Table#update}'s step for a key already at slot {@code s} (long values), on the pane's columns. */
    void addAt(long[] lv, long[] cnt, int s, TupleBatch batch, int i) throws Exception {
        if (kind == Kind.COUNT) {
            lv[s]++;
        } else {
            long v = longField.get(batch.value[i]);
            lv[s] = agg.combine(lv[s], v);
        }
        if (cnt != null) {
            cnt[s]++;
        }
    }

    /**
     * {@link Table#update} for a key not yet in pane {@code t} whose probe ended on empty entry {@code pos}:
     * the field is read first (an extractor that throws adds no key), then the key is added at {@code pos}.
     * Returns whether the pane's key table or columns were replaced (grown).
     */
    boolean addNewAt(PaneTable t, int pos, long k, TupleBatch batch, int i) throws Exception {
        Table tab = (Table) t;
        long v = kind == Kind.COUNT ? 0 : longField.get(batch.value[i]);
        int s = ((LongKeyIndex) tab.keys).addAt(pos, k);
        boolean grew = s < 0;
        if (grew) {
            s = -s - 1;
        }
        grew |= s >= tab.lv.length;
        tab.init(s);
        long[] lv = tab.lv;
        lv[s] = kind == Kind.COUNT ? lv[s] + 1 : agg.combine(lv[s], v);
        if (tab.cnt != null) {
            tab.cnt[s]++;
        }
        return grew;
    }

    @Override
    public PaneTable newPaneTable() {
        return new Table();
    }

    @Override
    public Object newScratch() {
        return new Table();
    }

    @Override
    public void emit(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out, Object scratch) {
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

    /** One pane's columns. */
    final class Table extends PaneTable {
        long[] lv = new long[16];
        double[] dv = dbl ? new double[16] : null;
        long[] cnt = kind == Kind.AVG ? new long[16] : null;

        Table() {
            super(longKeys);
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
