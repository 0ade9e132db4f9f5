package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;

/**
 * Maps the keys of one key group's pane to dense slots, in first-seen order. Slots index the pane's
 * state columns; iterating slots in order gives the keys in a deterministic order (the order they first
 * appeared in the key group's input, which is the same at every parallelism).
 */
public abstract class KeyIndex {
    protected int size;

    public final int size() {
        return size;
    }

    /** The slot of the key of tuple {@code i} in {@code batch}, added if absent. */
    public abstract int slotOf(TupleBatch batch, int i);

    /** The slot of multi-key entry {@code j} of {@code batch} (see {@link TupleBatch#keysEnd}), added if absent. */
    public abstract int slotOfMultiKey(TupleBatch batch, int j);

    /** The slot of the key stored at {@code otherSlot} of {@code other} (same key type), added if absent. */
    public abstract int slotOfKeyIn(KeyIndex other, int otherSlot);

    /** The key at a slot, boxed for output. */
    public abstract Object keyAt(int slot);

    /** Whether the last {@code slotOf}/{@code slotOfKeyIn} call added a new slot. */
    public final boolean added() {
        return justAdded;
    }

    protected boolean justAdded;

    /**
     * Forgets the key the last {@code slotOf} call added (valid only right after it did): a record whose
     * update failed leaves no key behind.
     */
    public abstract void removeLastAdded();

    public abstract void clear();

    public static KeyIndex create(boolean longKeys) {
        return longKeys ? new LongKeyIndex() : new ObjectKeyIndex();
    }
}
