package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;

/**
 * The state of one key group for one pane: a {@link KeyIndex} and state columns indexed by its slots.
 * Touched only by the key group's owner.
 */
public abstract class PaneTable {
    public final KeyIndex keys;

    protected PaneTable(boolean longKeys) {
        this.keys = KeyIndex.create(longKeys);
    }

    /** Adds tuple {@code i} of {@code batch} (from input {@code side}); may throw what a user function throws. */
    public abstract void update(TupleBatch batch, int i, int side) throws Exception;

    /**
     * Adds tuple {@code i} of {@code batch} for its multi-key entry {@code j} (one of the tuple's keys),
     * as {@link #update} does for a tuple's only key.
     */
    public abstract void updateKey(TupleBatch batch, int i, int j, int side) throws Exception;

    public boolean isEmpty() {
        return keys.size() == 0;
    }

    public void clear() {
        clearValues(keys.size());
        keys.clear();
    }

    protected abstract void clearValues(int n);
}
