package dev.stretch.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.customresource.StreamJobStatus;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class PrimaryUpdateFilterTest {
    private final PrimaryUpdateFilter filter = new PrimaryUpdateFilter();

    private static StreamJob job(long generation) {
        StreamJob j = TestJobs.streamJob(TestJobs.CLICKS, "clicks", "ns");
        j.getMetadata().setGeneration(generation);
        j.getMetadata().setAnnotations(new HashMap<>());
        return j;
    }

    @Test
    void shouldReconcileOnANewGeneration() {
        assertThat(filter.accept(job(2), job(1))).isTrue();
    }

    @Test
    void shouldNotReconcileOnAStatusOnlyUpdate() {
        StreamJob updated = job(1);
        updated.setStatus(new StreamJobStatus());
        assertThat(filter.accept(updated, job(1))).isFalse();
    }

    @Test
    void shouldReconcileWhenThePausedAnnotationChanges() {
        StreamJob paused = job(1);
        paused.getMetadata().getAnnotations().put(JobObjects.PAUSED_ANNOTATION, "true");
        assertThat(filter.accept(paused, job(1))).isTrue();
        assertThat(filter.accept(job(1), paused)).isTrue();
        StreamJob other = job(1);
        other.getMetadata().getAnnotations().put("team", "a");
        assertThat(filter.accept(other, job(1))).as("other annotations").isFalse();
    }

    @Test
    void shouldReconcileWhenMarkedForDeletion() {
        StreamJob deleting = job(1);
        deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        assertThat(filter.accept(deleting, job(1))).isTrue();
    }
}
