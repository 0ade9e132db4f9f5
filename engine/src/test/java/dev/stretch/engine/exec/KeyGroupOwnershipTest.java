package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyGroupOwnershipTest {
    private static void assertBalanced(KeyGroupOwnership o) {
        int g = o.keyGroups();
        int n = o.instances();
        for (int i = 0; i < n; i++) {
            assertThat(o.keyGroupsOf(i).length).as("instance %d of %d", i, n).isBetween(g / n, (g + n - 1) / n);
        }
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += o.keyGroupsOf(i).length;
        }
        assertThat(total).isEqualTo(g);
    }

    /** The fewest moves any balanced assignment can make: keep min(count, quota) with the largest quotas best placed. */
    private static int minimalMoves(KeyGroupOwnership from, int n) {
        int g = from.keyGroups();
        int[] counts = new int[Math.max(n, from.instances())];
        for (int k = 0; k < g; k++) {
            counts[from.ownerOf(k)]++;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(counts[b], counts[a]));
        int kept = 0;
        for (int r = 0; r < n; r++) {
            int quota = g / n + (r < g % n ? 1 : 0);
            kept += Math.min(counts[order[r]], quota);
        }
        return g - kept;
    }

    @Test
    void shouldBalanceKeyGroupsWhenInstancesDoNotDivideThem() {
        for (int n = 1; n <= 16; n++) {
            assertBalanced(KeyGroupOwnership.initial(128, n));
            assertBalanced(KeyGroupOwnership.initial(100, n));
        }
    }

    @Test
    void shouldMoveOnlyTheMinimumWhenRescaledAtRandom() {
        SplittableRandom rnd = new SplittableRandom(7);
        KeyGroupOwnership o = KeyGroupOwnership.initial(128, 3);
        for (int step = 0; step < 2000; step++) {
            int n = 1 + rnd.nextInt(16);
            KeyGroupOwnership next = o.rebalance(n);
            assertBalanced(next);
            assertThat(next.movedFrom(o)).as("step %d: %d -> %d", step, o.instances(), n).isEqualTo(minimalMoves(o, n));
            o = next;
        }
    }

    @Test
    void shouldMoveNothingWhenTheCountIsUnchanged() {
        KeyGroupOwnership o = KeyGroupOwnership.initial(128, 5);
        assertThat(o.rebalance(5).movedFrom(o)).isZero();
    }

    @Test
    void shouldGiveANewInstanceOnlyTheSurplusOfOthers() {
        KeyGroupOwnership o = KeyGroupOwnership.initial(128, 4); // 32 each
        KeyGroupOwnership p = o.rebalance(5);                    // 26,26,26,25,25
        assertThat(p.movedFrom(o)).isEqualTo(25);
        assertThat(p.keyGroupsOf(4)).hasSize(25);
    }

    @Test
    void shouldRejectCountsOutsideOneToKeyGroups() {
        assertThatThrownBy(() -> KeyGroupOwnership.initial(128, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyGroupOwnership.initial(8, 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
