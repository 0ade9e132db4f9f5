package dev.stretch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventGeneratorTest {

    @Test
    void shouldDrawWhatSplittableRandomDraws() {
        long seed = 42;
        SplittableRandom r = new SplittableRandom(seed);
        for (long k = 1; k <= 1000; k++) {
            assertThat(EventGenerator.mix64(seed + k * EventGenerator.GAMMA)).isEqualTo(r.nextLong());
        }
    }

    @Test
    void shouldGiveEveryStrideTheEventsOfAPlainLoop() {
        Dataset d = Dataset.generate(7, 1000, true, 10_000, 3);
        EventGenerator g = new EventGenerator(7, 1000, true);
        for (int stride : new int[] {1, 2, 3}) {
            for (int split = 0; split < stride; split++) {
                Dataset.Cursor c = d.cursor(split, stride);
                for (long i = split; i < 10_000; i += stride) {
                    assertThat(c.index()).isEqualTo(i);
                    assertThat(c.ts()).isEqualTo(i / 3);
                    assertThat(c.key()).isEqualTo(g.key(i));
                    assertThat(c.value()).isEqualTo(g.value(i));
                    c.advance();
                }
            }
        }
    }

    @Test
    void shouldRepeatColumnsButNotTimeBeyondTheirLength() {
        Dataset d = Dataset.generate(1, 10, false, 100, 1);
        Dataset.Cursor c = d.cursor(98, 1);
        c.advance();
        c.advance();
        assertThat(c.index()).isEqualTo(100);
        assertThat(c.ts()).isEqualTo(100);
        assertThat(c.key()).isEqualTo(d.key(0));
    }

    @Test
    void shouldMakeRankZeroTheHottestZipfKey() {
        EventGenerator z = new EventGenerator(1, 1000, true);
        int[] hits = new int[1000];
        for (int i = 0; i < 200_000; i++) {
            hits[z.key(i)]++;
        }
        assertThat(hits[0]).isGreaterThan(hits[1]).isGreaterThan(hits[9]).isGreaterThan(hits[999]);
        assertThat(hits[0] / 200_000.0).isBetween(0.12, 0.15); // 1 / H(1000) = 0.134
    }
}
