package dev.stretch.engine.state;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.Collector;
import dev.stretch.api.CoWindowProcessFunction;
import dev.stretch.api.TimeWindow;
import dev.stretch.api.WindowProcessFunction;
import dev.stretch.api.WindowResult;
import dev.stretch.api.WindowResultFunction;
import dev.stretch.engine.esg.TupleBatch;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Windowed operators whose pane state is a user object: generic {@link AggregateFunction}s (pane =
 * accumulator) and the general {@link WindowProcessFunction} / {@link CoWindowProcessFunction} (pane =
 * whatever {@code createPane} returns). A closing window groups each key's panes (oldest first) and hands
 * them to the output logic.
 */
public final class ObjectPaneProgram extends WindowProgram {
    private final AggregateFunction<Object, Object, Object> aggregate;
    private final WindowResultFunction<Object, Object, Object> result;
    private final WindowProcessFunction<Object, Object, Object, Object> process;
    private final CoWindowProcessFunction<Object, Object, Object, Object, Object> coProcess;

    private ObjectPaneProgram(boolean longKeys, AggregateFunction<Object, Object, Object> aggregate,
            WindowResultFunction<Object, Object, Object> result,
            WindowProcessFunction<Object, Object, Object, Object> process,
            CoWindowProcessFunction<Object, Object, Object, Object, Object> coProcess) {
        super(longKeys);
        this.aggregate = aggregate;
        this.result = result;
        this.process = process;
        this.coProcess = coProcess;
    }

    public static ObjectPaneProgram aggregate(boolean longKeys, AggregateFunction<Object, Object, Object> agg,
            WindowResultFunction<Object, Object, Object> result) {
        return new ObjectPaneProgram(longKeys, agg, result, null, null);
    }

    public static ObjectPaneProgram process(boolean longKeys, WindowProcessFunction<Object, Object, Object, Object> f) {
        return new ObjectPaneProgram(longKeys, null, null, f, null);
    }

    public static ObjectPaneProgram coProcess(boolean longKeys,
            CoWindowProcessFunction<Object, Object, Object, Object, Object> f) {
        return new ObjectPaneProgram(longKeys, null, null, null, f);
    }

    @Override
    public PaneTable newPaneTable() {
        return new Table();
    }

    @Override
    public Object newScratch() {
        return new Scratch(longKeys);
    }

    @Override
    public void emit(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out, Object scratchObj) {
        Scratch sc = (Scratch) scratchObj;
        sc.prepare(panes, count, w, lane, out);
        if (count == 1) { // tumbling windows: one pane, its own keys in slot order, no union to build
            Table p = (Table) panes[0];
            int n = p.keys.size();
            sc.grow(n - 1, 1);
            for (int s = 0; s < n; s++) {
                sc.slots[s] = s;
            }
            for (int s = 0; s < n; s++) {
                emitKey(p.keys.keyAt(s), s, panes, 1, w, lane, out, sc);
            }
            sc.release();
            return;
        }
        KeyIndex keys = sc.keys;
        keys.clear();
        for (int j = 0; j < count; j++) {
            Table p = (Table) panes[j];
            if (p == null) {
                continue;
            }
            for (int s = 0, n = p.keys.size(); s < n; s++) {
                int ws = keys.slotOfKeyIn(p.keys, s);
                sc.grow(ws, count);
                if (keys.added()) {
                    Arrays.fill(sc.slots, ws * count, ws * count + count, -1);
                    sc.keyTable[ws] = p;
                    sc.keySlot[ws] = s;
                }
                sc.slots[ws * count + j] = s;
            }
        }
        for (int ws = 0, n = keys.size(); ws < n; ws++) {
            emitKey(sc.keyTable[ws].keys.keyAt(sc.keySlot[ws]), ws, panes, count, w, lane, out, sc);
        }
        sc.release();
    }

    /** Emits one key's result; {@code sc.slots[ws * count + j]} is its slot in pane {@code j} (-1: absent). */
    private void emitKey(Object key, int ws, PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out,
            Scratch sc) {
        try {
            if (aggregate != null) {
                Object acc;
                if (count == 1) {
                    acc = ((Table) panes[0]).state[sc.slots[ws]];
                } else {
                    acc = aggregate.createAccumulator();
                    for (int j = 0; j < count; j++) {
                        int s = sc.slots[ws * count + j];
                        if (s >= 0) {
                            acc = aggregate.merge(acc, ((Table) panes[j]).state[s]);
                        }
                    }
                }
                Object r = aggregate.getResult(acc);
                Object o = result == null ? new WindowResult<>(key, w.start(), w.end(), r) : result.apply(key, w, r);
                out.emit(w.maxTimestamp(), lane, o);
            } else {
                sc.view.row = ws;
                if (process != null) {
                    process.output(key, w, sc.view, sc);
                } else {
                    coProcess.output(key, w, sc.view, sc);
                }
            }
        } catch (Exception e) {
            out.outputFailed(key, w, e);
        }
    }

    /** One pane's user states. */
    final class Table extends PaneTable {
        Object[] state = new Object[16];

        Table() {
            super(longKeys);
        }

        /**
         * Adds the element to its key's state. If the user function throws, the state is not replaced and a
         * key seen for the first time is not added: the failing element leaves the pane as it was (except
         * for what the function itself changed in place before it threw).
         */
        @Override
        public void update(TupleBatch batch, int i, int side) throws Exception {
            apply(keys.slotOf(batch, i), batch.value[i], side);
        }

        @Override
        public void updateKey(TupleBatch batch, int i, int j, int side) throws Exception {
            apply(keys.slotOfMultiKey(batch, j), batch.value[i], side);
        }

        private void apply(int s, Object v, int side) throws Exception {
            if (s >= state.length) {
                state = Arrays.copyOf(state, Math.max(s + 1, state.length * 2));
            }
            Object p = state[s];
            try {
                if (aggregate != null) {
                    if (p == null) {
                        p = aggregate.createAccumulator();
                    }
                    state[s] = aggregate.add(v, p);
                } else if (process != null) {
                    if (p == null) {
                        p = process.createPane();
                    }
                    state[s] = process.update(p, v);
                } else {
                    if (p == null) {
                        p = coProcess.createPane();
                    }
                    state[s] = side == 0 ? coProcess.update1(p, v) : coProcess.update2(p, v);
                }
            } catch (Exception e) {
                if (keys.added()) {
                    keys.removeLastAdded();
                    state[s] = null;
                }
                throw e;
            }
        }

        @Override
        protected void clearValues(int n) {
            Arrays.fill(state, 0, n, null);
        }
    }

    /**
     * Per-instance working space of a closing window: the union of the keys of its panes and, per key,
     * the slot it has in each pane (-1 where absent). Also the collector handed to user output code, and
     * where that code reports a record it could not turn into output ({@link BadRecords}).
     */
    static final class Scratch implements Collector<Object>, BadRecords {
        final KeyIndex keys;
        int[] slots = new int[64];
        Table[] keyTable = new Table[16];
        int[] keySlot = new int[16];
        final PaneView view = new PaneView();
        private TimeWindow window;
        private int lane;
        private WindowOutput out;

        Scratch(boolean longKeys) {
            this.keys = KeyIndex.create(longKeys);
        }

        void prepare(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out) {
            this.window = w;
            this.lane = lane;
            this.out = out;
            view.panes = panes;
            view.count = count;
            view.slots = slots;
        }

        void grow(int ws, int count) {
            if ((ws + 1) * count > slots.length) {
                slots = Arrays.copyOf(slots, Math.max((ws + 1) * count, slots.length * 2));
                view.slots = slots;
            }
            if (ws >= keyTable.length) {
                keyTable = Arrays.copyOf(keyTable, keyTable.length * 2);
                keySlot = Arrays.copyOf(keySlot, keySlot.length * 2);
            }
        }

        void release() {
            Arrays.fill(keyTable, 0, keys.size(), null);
            view.panes = null;
            out = null;
        }

        @Override
        public void collect(Object record) {
            out.emit(window.maxTimestamp(), lane, record);
        }

        @Override
        public void badRecord(Object record, String reason, Exception cause) {
            out.recordFailed(record, window.maxTimestamp(), reason, cause);
        }
    }

    /** The panes of one key in one window, oldest first. Supports nested iteration. */
    static final class PaneView implements Iterable<Object> {
        PaneTable[] panes;
        int count;
        int[] slots;
        int row;

        @Override
        public Iterator<Object> iterator() {
            return new Iterator<>() {
                private int j = advance(0);

                private int advance(int from) {
                    int k = from;
                    while (k < count && slots[row * count + k] < 0) {
                        k++;
                    }
                    return k;
                }

                @Override
                public boolean hasNext() {
                    return j < count;
                }

                @Override
                public Object next() {
                    if (j >= count) {
                        throw new NoSuchElementException();
                    }
                    Object o = ((Table) panes[j]).state[slots[row * count + j]];
                    j = advance(j + 1);
                    return o;
                }
            };
        }
    }
}
