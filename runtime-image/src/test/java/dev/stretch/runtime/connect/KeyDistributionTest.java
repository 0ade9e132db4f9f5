package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyDistributionTest {
    @Test
    void shouldGiveKeyKAProbabilityProportionalToOneOverKPlusOneToTheSkew() {
        KeyDistribution d = KeyDistribution.of(3, 2.0);
        double norm = 1 + 1 / 4.0 + 1 / 9.0;

        assertThat(d.probability(0)).isCloseTo(1 / norm, within(1e-12));
        assertThat(d.probability(1)).isCloseTo(1 / 4.0 / norm, within(1e-12));
        assertThat(d.probability(2)).isCloseTo(1 / 9.0 / norm, within(1e-12));
    }

    @Test
    void shouldOnlyDrawKeysInRangeWhenSkewed() {
        KeyDistribution d = KeyDistribution.of(7, 1.5);
        SplittableRandom random = new SplittableRandom(3);

        for (int i = 0; i < 10_000; i++) {
            assertThat(d.sample(random)).isBetween(0, 6);
        }
    }

    @Test
    void shouldRefuseMoreSkewedKeysThanItsTableCanHold() {
        assertThatThrownBy(() -> KeyDistribution.of(KeyDistribution.MAX_SKEWED_KEYS + 1, 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThat(KeyDistribution.of(Integer.MAX_VALUE, 0).keys()).isEqualTo(Integer.MAX_VALUE);
    }
}
