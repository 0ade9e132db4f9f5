package dev.stretch.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.engine.exec.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The long-key table against a plain {@link HashMap} model: slots are dense and in first-seen order, a key
 * keeps its slot, {@code added()} tells new keys apart, {@code removeLastAdded} forgets exactly the last new
 * key, {@code clear} empties the table (which is reused, as pane tables are), across growth and for key sets
 * that are hard on a hash table (0, negative keys, multiples of large powers of two, the keys of a single key
 * group).
 */
class LongKeyIndexTest {

    @Test
    void matchesAHashMapModelOverManySeeds() {
        for (int seed = 0; seed < 200; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            long[] universe = universe(rnd, seed % 6, 1 + rnd.nextInt(3000));
            LongKeyIndex idx = new LongKeyIndex();
            Map<Long, Integer> model = new HashMap<>();
            List<Long> order = new ArrayList<>();
            int ops = 1 + rnd.nextInt(20_000);
            for (int op = 0; op < ops; op++) {
                int what = rnd.nextInt(1000);
                if (what == 0) {
                    idx.clear();
                    model.clear();
                    order.clear();
                    continue;
                }
                long k = universe[rnd.nextInt(universe.length)];
                int s = idx.slotOfKey(k);
                Integer expected = model.get(k);
                if (expected == null) {
                    assertThat(idx.added()).as("seed %d op %d key %d is new", seed, op, k).isTrue();
                    assertThat(s).as("seed %d: new keys take the next slot", seed).isEqualTo(order.size());
                    if (what < 20) { // an update that failed: the key must leave no trace
                        idx.removeLastAdded();
                        assertThat(idx.added()).isFalse();
                        continue;
                    }
                    model.put(k, s);
                    order.add(k);
                } else {
                    assertThat(idx.added()).as("seed %d op %d key %d is known", seed, op, k).isFalse();
                    assertThat(s).as("seed %d: key %d keeps its slot", seed, k).isEqualTo(expected);
                }
                assertThat(idx.size()).isEqualTo(order.size());
            }
            for (int s = 0; s < order.size(); s++) {
                assertThat(idx.longKeyAt(s)).isEqualTo(order.get(s));
                assertThat(idx.keyAt(s)).isEqualTo(order.get(s));
                assertThat(idx.slotOfKey(order.get(s))).isEqualTo(s);
                assertThat(idx.added()).isFalse();
            }
        }
    }

    @Test
    void copiesKeysFromAnotherIndexInItsOrder() {
        LongKeyIndex a = new LongKeyIndex();
        LongKeyIndex b = new LongKeyIndex();
        for (long k = 100; k > 0; k--) {
            a.slotOfKey(k * 31);
        }
        b.slotOfKey(31 * 50);
        for (int s = 0; s < a.size(); s++) {
            b.slotOfKeyIn(a, s);
        }
        assertThat(b.size()).isEqualTo(100);
        assertThat(b.longKeyAt(0)).isEqualTo(31 * 50);
        assertThat(b.longKeyAt(1)).isEqualTo(31 * 100);
    }

    /** Key sets: random, consecutive, negative around zero, multiples of 2^40, one key group's keys. */
    private static long[] universe(SplittableRandom rnd, int kind, int n) {
        long[] u = new long[n];
        for (int i = 0; i < n; i++) {
            u[i] = switch (kind) {
                case 0 -> rnd.nextLong();
                case 1 -> i;
                case 2 -> i - n / 2;
                case 3 -> ((long) i) << 40;
                case 5 -> i * 0x9E3779B97F4A7C15L; // ids hashed upstream by Fibonacci hashing
                default -> 0;
            };
        }
        if (kind == 4) { // keys that all fall into key group 0 of 128
            int found = 0;
            for (long k = 0; found < n; k++) {
                if (KeyGroups.of(k, 128) == 0) {
                    u[found++] = k;
                }
            }
        }
        return u;
    }
}
