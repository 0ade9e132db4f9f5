package dev.stretch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");
    private final List<Condition> conditions = new ArrayList<>();

    @Test
    void shouldAddANewConditionWithATransitionTime() {
        assertThat(Conditions.set(conditions, "Ready", true, "AllPodsReady", "2/2", 3L, T0)).isTrue();
        Condition c = Conditions.find(conditions, "Ready").orElseThrow();
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(c.getObservedGeneration()).isEqualTo(3L);
    }

    @Test
    void shouldKeepTheTransitionTimeWhenOnlyReasonOrMessageChange() {
        Conditions.set(conditions, "Ready", false, "PodsNotReady", "0/2", 1L, T0);
        assertThat(Conditions.set(conditions, "Ready", false, "PodsNotReady", "1/2", 2L, T1)).isFalse();
        Condition c = Conditions.find(conditions, "Ready").orElseThrow();
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(c.getMessage()).isEqualTo("1/2");
        assertThat(c.getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void shouldMoveTheTransitionTimeWhenTheStatusFlips() {
        Conditions.set(conditions, "Ready", false, "PodsNotReady", "0/2", 1L, T0);
        assertThat(Conditions.set(conditions, "Ready", true, "AllPodsReady", "2/2", 1L, T1)).isTrue();
        assertThat(Conditions.find(conditions, "Ready").orElseThrow().getLastTransitionTime())
                .isEqualTo("2026-01-01T10:05:00Z");
        assertThat(conditions).hasSize(1);
    }

    @Test
    void shouldCopyDeeply() {
        Conditions.set(conditions, "Ready", false, "PodsNotReady", "0/2", 1L, T0);
        List<Condition> copy = Conditions.copy(conditions);
        Conditions.set(copy, "Ready", true, "AllPodsReady", "2/2", 1L, T1);
        assertThat(Conditions.isTrue(conditions, "Ready")).isFalse();
        assertThat(Conditions.isTrue(copy, "Ready")).isTrue();
    }
}
