package dev.stretch.operator;

import dev.stretch.operator.customresource.StreamJob;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which updates of a StreamJob start a reconcile: a new generation (spec change, incl. the scale subresource), a
 * change of the {@code stretch.dev/paused} annotation, or deletion. Status-only updates — the operator's own status
 * patches — do not, which is what keeps the periodic status refresh from feeding itself.
 *
 * <p>This replaces JOSDK's generation-aware filtering (switched off on the controller), which would also drop the
 * annotation change: annotations do not bump the generation.
 */
public class PrimaryUpdateFilter implements OnUpdateFilter<StreamJob> {
    @Override
    public boolean accept(StreamJob updated, StreamJob old) {
        Long oldGen = old.getMetadata().getGeneration();
        Long newGen = updated.getMetadata().getGeneration();
        if (oldGen == null || newGen == null || newGen > oldGen) {
            return true;
        }
        if (JobObjects.paused(updated) != JobObjects.paused(old)) {
            return true;
        }
        return !Objects.equals(old.isMarkedForDeletion(), updated.isMarkedForDeletion());
    }
}
