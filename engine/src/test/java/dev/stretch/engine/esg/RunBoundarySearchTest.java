package dev.stretch.engine.esg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search that ends a run ({@link EsgReader#firstAtOrAbove}) must find exactly the first tuple at or
 * above the bound, whether the answer is next to the start (closely interleaved writers) or far from it.
 */
class RunBoundarySearchTest {

    @Test
    void shouldFindTheFirstTupleAtOrAboveTheBoundWhereverItIs() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 20_000; round++) {
            int size = 1 + rnd.nextInt(1024);
            TupleBatch b = new TupleBatch(1024);
            long ts = rnd.nextLong(1000);
            for (int i = 0; i < size; i++) {
                ts += rnd.nextInt(4) == 0 ? 1 : 0; // runs of equal timestamps, told apart by order
                b.add(ts, TupleOrder.of(1, 0, i), null); // sorted by (ts, order)
            }
            int lo = rnd.nextInt(size);
            int hi = lo + rnd.nextInt(size - lo);
            // a bound between hi-1 and hi (or exactly at hi), so that hi is at or above it
            long bt = b.ts[hi];
            long bo = rnd.nextBoolean() ? b.order[hi] : b.order[hi] - rnd.nextInt(2);
            int expected = lo;
            while (expected < hi && TupleOrder.compare(b.ts[expected], b.order[expected], bt, bo) < 0) {
                expected++;
            }
            assertThat(EsgReader.firstAtOrAbove(b, lo, hi, bt, bo))
                    .as("round %d: size %d, [%d, %d], bound %d/%d", round, size, lo, hi, bt, bo)
                    .isEqualTo(expected);
        }
    }
}
