package dev.stretch.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.Aggregations;
import dev.stretch.api.PrimitiveAggregation;
import dev.stretch.api.TimeWindow;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.plan.PrimitiveResults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Sliding windows over long keys merge their panes through the key group's index of live keys
 * ({@code PrimitiveAggregateProgram.WindowKeys}): every window gives the same results, in the same order, as
 * merging the panes by hashing (the path the index replaces), and a key leaves the index once no live pane
 * holds it, so the index does not grow with keys that were seen once.
 */
class SlidingWindowKeysTest {
    private static final int PANES = 4;

    @Test
    void indexedMergeMatchesHashedMergeAndForgetsExpiredKeys() throws Exception {
        for (long seed = 1; seed <= 20; seed++) {
            run(seed);
        }
    }

    @SuppressWarnings("unchecked")
    private static void run(long seed) throws Exception {
        PrimitiveAggregation<Object, Object> avg = (PrimitiveAggregation<Object, Object>) (Object) Aggregations
                .<Long>avg(v -> v);
        PrimitiveAggregateProgram program = new PrimitiveAggregateProgram(true, avg, PrimitiveResults.DOUBLE);
        KeyGroupState indexed = new KeyGroupState(program, PANES);
        Object group = program.newGroupState(PANES);
        assertThat(group).as("sliding windows over long keys get an index").isNotNull();
        PaneTable[] plain = new PaneTable[PANES]; // the same panes without the index: merged by hashing
        long[] plainPane = new long[PANES];
        java.util.Arrays.fill(plainPane, Long.MIN_VALUE);

        Random rnd = new Random(seed);
        TupleBatch b = new TupleBatch(1);
        b.size = 1;
        int keySpace = 5 + rnd.nextInt(200);
        for (long pane = 0; pane < 60; pane++) {
            int slot = (int) (pane % PANES);
            if (plainPane[slot] != pane) {
                plain[slot] = program.newPaneTable();
                plainPane[slot] = pane;
            }
            // keys drift over time, so many are seen in a few panes only and must leave the index
            int n = rnd.nextInt(40);
            for (int i = 0; i < n; i++) {
                long key = pane * 7 + rnd.nextInt(keySpace);
                b.longKey[0] = key;
                b.value[0] = (long) rnd.nextInt(1000);
                indexed.table(pane).update(b, 0, 0);
                plain[slot].update(b, 0, 0);
            }
            // close the window ending with this pane: panes pane-3 .. pane, oldest first
            long first = pane - PANES + 1;
            PaneTable[] a = new PaneTable[PANES];
            PaneTable[] h = new PaneTable[PANES];
            for (int j = 0; j < PANES; j++) {
                long p = first + j;
                a[j] = p < 0 ? null : indexed.tableIfLive(p);
                h[j] = p < 0 || plainPane[(int) (p % PANES)] != p ? null : plain[(int) (p % PANES)];
            }
            TimeWindow w = new TimeWindow(first * 10, (pane + 1) * 10);
            List<Object> viaIndex = new ArrayList<>();
            List<Object> viaHash = new ArrayList<>();
            program.emit(a, PANES, w, 0, collect(viaIndex), null);
            program.emit(h, PANES, w, 0, collect(viaHash), program.newScratch());
            assertThat(viaIndex).as("seed %d window ending with pane %d", seed, pane).isEqualTo(viaHash);

            indexed.expireBefore(first + 1);
            Set<Long> live = new HashSet<>();
            for (long p = first + 1; p <= pane; p++) {
                PaneTable t = indexed.tableIfLive(p);
                if (t != null) {
                    for (int s = 0; s < t.keys.size(); s++) {
                        live.add((Long) t.keys.keyAt(s));
                    }
                }
            }
            PrimitiveAggregateProgram.WindowKeys wk = ((PrimitiveAggregateProgram.Table) indexed.tableIfLive(pane) != null
                    ? ((PrimitiveAggregateProgram.Table) indexed.tableIfLive(pane)).wk : null);
            if (wk != null) {
                assertThat(wk.size()).as("seed %d: keys in the index after pane %d expired", seed, first)
                        .isEqualTo(live.size());
            }
        }
    }

    private static WindowOutput collect(List<Object> into) {
        return new WindowOutput() {
            @Override
            public void emit(long timestamp, int lane, Object value) {
                into.add(value);
            }

            @Override
            public void outputFailed(Object key, TimeWindow window, Exception cause) {
                throw new AssertionError(cause);
            }

            @Override
            public void recordFailed(Object record, long timestamp, String reason, Exception cause) {
                throw new AssertionError(cause);
            }
        };
    }
}
