package dev.stretch.engine.state;

import dev.stretch.api.AggregateValues;
import dev.stretch.api.CompositeAggregation;
import dev.stretch.api.DoubleField;
import dev.stretch.api.LongField;
import dev.stretch.api.PrimitiveAggregation;
import dev.stretch.api.PrimitiveAggregation.Kind;
import dev.stretch.api.TimeWindow;
import dev.stretch.api.WindowResult;
import dev.stretch.api.WindowResultFunction;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.plan.PrimitiveResults;
import java.util.Arrays;
import java.util.List;

/**
 * Several built-in aggregations over one window ({@link CompositeAggregation}), with their state in
 * primitive columns side by side: per pane, one {@code long[]} or {@code double[]} per aggregation and
 * one shared {@code long[]} of element counts (which every average and count reads). An update is one
 * hash probe for all aggregations and an array write per aggregation; nothing is allocated per element
 * or per key. The result reaches the user's function as an {@link AggregateValues} view over the columns.
 */
public final class CompositeAggregateProgram extends WindowProgram {
    private final int n;
    private final Kind[] kinds;
    private final boolean[] dbl;
    private final LongField<Object>[] longFields;
    private final DoubleField<Object>[] doubleFields;
    private final PrimitiveAggregation<Object, Object>[] parts;
    private final WindowResultFunction<Object, Object, Object> result;
    /** The user's function takes the primitive key. */
    private final PrimitiveResults.LongKey longKeyResult;

    @SuppressWarnings("unchecked")
    public CompositeAggregateProgram(boolean longKeys, CompositeAggregation<Object> agg,
            WindowResultFunction<Object, Object, Object> result) {
        super(longKeys);
        List<PrimitiveAggregation<Object, ?>> ps = agg.parts();
        this.n = ps.size();
        this.kinds = new Kind[n];
        this.dbl = new boolean[n];
        this.longFields = new LongField[n];
        this.doubleFields = new DoubleField[n];
        this.parts = new PrimitiveAggregation[n];
        for (int j = 0; j < n; j++) {
            PrimitiveAggregation<Object, Object> p = (PrimitiveAggregation<Object, Object>) ps.get(j);
            parts[j] = p;
            kinds[j] = p.kind();
            dbl[j] = p.isDouble();
            longFields[j] = p.longField();
            doubleFields[j] = p.doubleField();
        }
        this.result = result;
        this.longKeyResult = longKeys && result instanceof PrimitiveResults.LongKey lk ? lk : null;
    }

    @Override
    public PaneTable newPaneTable() {
        return new Table();
    }

    @Override
    public Object newScratch() {
        return new Scratch();
    }

    @Override
    public void emit(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out, Object scratchObj) {
        Scratch sc = (Scratch) scratchObj;
        Table src;
        if (count == 1) {
            src = (Table) panes[0];
        } else {
            src = sc.merged;
            src.clear();
            for (int j = 0; j < count; j++) {
                Table p = (Table) panes[j];
                if (p == null) {
                    continue;
                }
                for (int s = 0, m = p.keys.size(); s < m; s++) {
                    int ws = src.keys.slotOfKeyIn(p.keys, s);
                    if (src.keys.added()) {
                        src.init(ws);
                    }
                    src.mergeFrom(ws, p, s);
                }
            }
        }
        long ts = w.maxTimestamp();
        View v = sc.view;
        v.table = src;
        for (int s = 0, m = src.keys.size(); s < m; s++) {
            v.slot = s;
            Object o;
            try {
                if (longKeyResult != null) {
                    o = longKeyResult.f.apply(((LongKeyIndex) src.keys).longKeyAt(s), w, v);
                } else if (result == null) {
                    o = new WindowResult<>(src.keys.keyAt(s), w.start(), w.end(), v.copy());
                } else {
                    o = result.apply(src.keys.keyAt(s), w, v);
                }
            } catch (Exception e) {
                out.outputFailed(src.keys.keyAt(s), w, e);
                continue;
            }
            out.emit(ts, lane, o);
        }
        v.table = null;
    }

    /** Per-instance working space: a table for merging panes and the view handed to the user. */
    private final class Scratch {
        final Table merged = new Table();
        final View view = new View();
    }

    /** The values of one slot of a table; re-pointed for every result, valid during the user's call. */
    private final class View implements AggregateValues {
        Table table;
        int slot;

        @Override
        public int size() {
            return n;
        }

        @Override
        public long count() {
            return table.cnt[slot];
        }

        @Override
        public long getLong(int i) {
            if (dbl[i] || kinds[i] == Kind.AVG) {
                throw new IllegalStateException("aggregation " + i + " (" + parts[i] + ") has a double result; "
                        + "use getDouble");
            }
            return kinds[i] == Kind.COUNT ? table.cnt[slot] : table.lv[i][slot];
        }

        @Override
        public double getDouble(int i) {
            Kind k = kinds[i];
            if (k == Kind.COUNT) {
                return table.cnt[slot];
            }
            double v = dbl[i] ? table.dv[i][slot] : (double) table.lv[i][slot];
            return k == Kind.AVG ? v / table.cnt[slot] : v;
        }

        @Override
        public boolean isDouble(int i) {
            return dbl[i] || kinds[i] == Kind.AVG;
        }

        @Override
        public String toString() {
            return copy().toString();
        }
    }

    /** One pane's columns: {@code lv[j]} or {@code dv[j]} for aggregation j (count uses {@code cnt}). */
    final class Table extends PaneTable {
        final long[][] lv = new long[n][];
        final double[][] dv = new double[n][];
        long[] cnt = new long[16];
        /** The current element's field values, read before its key is looked up. */
        private final long[] lin = new long[n];
        private final double[] din = new double[n];

        Table() {
            super(longKeys);
            for (int j = 0; j < n; j++) {
                if (kinds[j] == Kind.COUNT) {
                    continue;
                }
                if (dbl[j]) {
                    dv[j] = new double[16];
                } else {
                    lv[j] = new long[16];
                }
            }
        }

        /** Reads every field first: if a user's extractor throws, the key is not added to the pane. */
        @Override
        public void update(TupleBatch batch, int i, int side) throws Exception {
            readFields(batch.value[i]);
            int s = keys.slotOf(batch, i);
            if (keys.added()) {
                init(s);
            }
            fold(s);
        }

        /** As {@link #update}, for multi-key entry {@code j}: the same steps with the entry's key. */
        @Override
        public void updateKey(TupleBatch batch, int i, int j, int side) throws Exception {
            readFields(batch.value[i]);
            int s = keys.slotOfMultiKey(batch, j);
            if (keys.added()) {
                init(s);
            }
            fold(s);
        }

        private void readFields(Object e) throws Exception {
            for (int j = 0; j < n; j++) {
                if (kinds[j] == Kind.COUNT) {
                    continue;
                }
                if (dbl[j]) {
                    din[j] = doubleFields[j].get(e);
                } else {
                    lin[j] = longFields[j].get(e);
                }
            }
        }

        private void fold(int s) {
            cnt[s]++;
            for (int j = 0; j < n; j++) {
                switch (kinds[j]) {
                    case COUNT -> { }
                    case SUM, AVG -> {
                        if (dbl[j]) {
                            dv[j][s] += din[j];
                        } else {
                            lv[j][s] += lin[j];
                        }
                    }
                    case MIN -> {
                        if (dbl[j]) {
                            dv[j][s] = Math.min(dv[j][s], din[j]);
                        } else {
                            lv[j][s] = Math.min(lv[j][s], lin[j]);
                        }
                    }
                    case MAX -> {
                        if (dbl[j]) {
                            dv[j][s] = Math.max(dv[j][s], din[j]);
                        } else {
                            lv[j][s] = Math.max(lv[j][s], lin[j]);
                        }
                    }
                }
            }
        }

        void init(int s) {
            if (s >= cnt.length) {
                int m = Math.max(s + 1, cnt.length * 2);
                cnt = Arrays.copyOf(cnt, m);
                for (int j = 0; j < n; j++) {
                    if (lv[j] != null) {
                        lv[j] = Arrays.copyOf(lv[j], m);
                    }
                    if (dv[j] != null) {
                        dv[j] = Arrays.copyOf(dv[j], m);
                    }
                }
            }
            cnt[s] = 0;
            for (int j = 0; j < n; j++) {
                if (lv[j] != null) {
                    lv[j][s] = parts[j].identityLong();
                } else if (dv[j] != null) {
                    dv[j][s] = parts[j].identityDouble();
                }
            }
        }

        void mergeFrom(int s, Table p, int ps) {
            cnt[s] += p.cnt[ps];
            for (int j = 0; j < n; j++) {
                boolean extreme = kinds[j] == Kind.MIN || kinds[j] == Kind.MAX;
                if (lv[j] != null) {
                    lv[j][s] = extreme ? parts[j].combine(lv[j][s], p.lv[j][ps]) : lv[j][s] + p.lv[j][ps];
                } else if (dv[j] != null) {
                    dv[j][s] = extreme ? parts[j].combine(dv[j][s], p.dv[j][ps]) : dv[j][s] + p.dv[j][ps];
                }
            }
        }

        @Override
        protected void clearValues(int size) {
            // values are re-initialised slot by slot when keys are added again
        }
    }
}
