package dev.stretch.engine.state;

import dev.stretch.api.JoinFunction;
import dev.stretch.api.TimeWindow;
import dev.stretch.engine.esg.TupleBatch;
import java.util.Arrays;

/**
 * The equi window join ({@code a.join(b).where(..).equalTo(..).window(w).apply(f)}) with its pane state in
 * columns instead of one user object per key: per pane, a {@link KeyIndex}, four {@code int}s per key slot
 * (first and last element of each side, one cache line holds four keys) and, per side, the elements in
 * arrival order in an {@code Object[]} with an {@code int[]} link to the key's next element. An element
 * costs a probe, an array store and a link; nothing is allocated per key or per element, and the columns
 * are kept when a pane table is cleared for reuse. Output is the same pairs in the same order as the
 * general form ({@code JoinedStreams.PairJoin}): per key in slot order, every left element (oldest pane
 * first, arrival order) with every right element of the window (oldest pane first, arrival order).
 */
public final class JoinPaneProgram extends WindowProgram {
    private static final int NONE = -1;
    private final JoinFunction<Object, Object, Object> f;

    public JoinPaneProgram(boolean longKeys, JoinFunction<Object, Object, Object> f) {
        super(longKeys);
        this.f = f;
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
        long ts = w.maxTimestamp();
        if (count == 1) { // tumbling windows: one pane, its keys in slot order
            Table p = (Table) panes[0];
            int[] links = p.links;
            for (int s = 0, n = p.keys.size(); s < n; s++) {
                int l = links[4 * s];
                int r = links[4 * s + 2];
                if (l == NONE || r == NONE) {
                    continue;
                }
                try {
                    crossPane(p, l, p, r, ts, lane, out);
                } catch (Exception e) {
                    out.outputFailed(p.keys.keyAt(s), w, e);
                }
            }
            return;
        }
        // sliding windows: the union of the panes' keys, in the order the general form emits them
        Scratch sc = (Scratch) scratchObj;
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
                    Arrays.fill(sc.slots, ws * count, ws * count + count, NONE);
                    sc.keyTable[ws] = p;
                    sc.keySlot[ws] = s;
                }
                sc.slots[ws * count + j] = s;
            }
        }
        int[] slots = sc.slots;
        for (int ws = 0, n = keys.size(); ws < n; ws++) {
            int base = ws * count;
            try {
                for (int jl = 0; jl < count; jl++) {
                    int sl = slots[base + jl];
                    if (sl == NONE) {
                        continue;
                    }
                    Table lp = (Table) panes[jl];
                    for (int a = lp.links[4 * sl]; a != NONE; a = lp.leftNext[a]) {
                        Object x = lp.left[a];
                        for (int jr = 0; jr < count; jr++) {
                            int sr = slots[base + jr];
                            if (sr == NONE) {
                                continue;
                            }
                            Table rp = (Table) panes[jr];
                            for (int b = rp.links[4 * sr + 2]; b != NONE; b = rp.rightNext[b]) {
                                pair(x, rp.right[b], ts, lane, out);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                out.outputFailed(sc.keyTable[ws].keys.keyAt(sc.keySlot[ws]), w, e);
            }
        }
        Arrays.fill(sc.keyTable, 0, keys.size(), null);
    }

    /** Every left element from {@code l} on (pane {@code lp}) with every right element from {@code r} on. */
    private void crossPane(Table lp, int l, Table rp, int r, long ts, int lane, WindowOutput out) {
        Object[] left = lp.left;
        int[] leftNext = lp.leftNext;
        Object[] right = rp.right;
        int[] rightNext = rp.rightNext;
        for (int a = l; a != NONE; a = leftNext[a]) {
            Object x = left[a];
            for (int b = r; b != NONE; b = rightNext[b]) {
                pair(x, right[b], ts, lane, out);
            }
        }
    }

    /**
     * Emits one pair. A pair the join function throws on is handed to the engine as that pair, so it is
     * dead-lettered once, as itself, and the other pairs of the key and window are still emitted.
     */
    private void pair(Object x, Object y, long ts, int lane, WindowOutput out) {
        Object o;
        try {
            o = f.join(x, y);
        } catch (Exception e) {
            out.recordFailed(new Pair(x, y), ts, "join function threw", e);
            return;
        }
        out.emit(ts, lane, o);
    }

    /** One pane's elements, per key and side. */
    final class Table extends PaneTable {
        /** Per key slot {@code s}: {@code [4s]}/{@code [4s+1]} first/last left element, {@code [4s+2]}/{@code [4s+3]} right. */
        int[] links = new int[64];
        Object[] left = new Object[16];
        int[] leftNext = new int[16];
        int leftSize;
        Object[] right = new Object[16];
        int[] rightNext = new int[16];
        int rightSize;

        Table() {
            super(longKeys);
        }

        @Override
        public void update(TupleBatch batch, int i, int side) {
            append(keys.slotOf(batch, i), batch.value[i], side);
        }

        @Override
        public void updateKey(TupleBatch batch, int i, int j, int side) {
            append(keys.slotOfMultiKey(batch, j), batch.value[i], side);
        }

        private void append(int s, Object v, int side) {
            int at = 4 * s;
            if (keys.added()) {
                if (at + 4 > links.length) {
                    links = Arrays.copyOf(links, Math.max(at + 4, 2 * links.length));
                }
                links[at] = NONE;
                links[at + 1] = NONE;
                links[at + 2] = NONE;
                links[at + 3] = NONE;
            }
            if (side == 0) {
                int e = leftSize;
                if (e == left.length) {
                    left = Arrays.copyOf(left, 2 * e);
                    leftNext = Arrays.copyOf(leftNext, 2 * e);
                }
                left[e] = v;
                leftNext[e] = NONE;
                int last = links[at + 1];
                if (last == NONE) {
                    links[at] = e;
                } else {
                    leftNext[last] = e;
                }
                links[at + 1] = e;
                leftSize = e + 1;
            } else {
                at += 2;
                int e = rightSize;
                if (e == right.length) {
                    right = Arrays.copyOf(right, 2 * e);
                    rightNext = Arrays.copyOf(rightNext, 2 * e);
                }
                right[e] = v;
                rightNext[e] = NONE;
                int last = links[at + 1];
                if (last == NONE) {
                    links[at] = e;
                } else {
                    rightNext[last] = e;
                }
                links[at + 1] = e;
                rightSize = e + 1;
            }
        }

        @Override
        protected void clearValues(int n) {
            Arrays.fill(left, 0, leftSize, null); // no references kept to expired elements
            Arrays.fill(right, 0, rightSize, null);
            leftSize = 0;
            rightSize = 0;
        }
    }

    /** Per-instance working space of a closing sliding window: the union of its panes' keys. */
    static final class Scratch {
        final KeyIndex keys;
        int[] slots = new int[64];
        Table[] keyTable = new Table[16];
        int[] keySlot = new int[16];

        Scratch(boolean longKeys) {
            this.keys = KeyIndex.create(longKeys);
        }

        void grow(int ws, int count) {
            if ((ws + 1) * count > slots.length) {
                slots = Arrays.copyOf(slots, Math.max((ws + 1) * count, slots.length * 2));
            }
            if (ws >= keyTable.length) {
                keyTable = Arrays.copyOf(keyTable, keyTable.length * 2);
                keySlot = Arrays.copyOf(keySlot, keySlot.length * 2);
            }
        }
    }

    /** A failing pair as it appears in a dead letter: {@code (left, right)}. */
    private record Pair(Object left, Object right) {
        @Override
        public String toString() {
            return "(" + left + ", " + right + ")";
        }
    }
}
