package dev.stretch.engine.state;

import dev.stretch.api.TimeWindow;

/**
 * What a windowed operator computes, expressed over pane tables: how a pane table is made and how a
 * closing window's panes turn into output. One per operator; shared by its instances, so it holds no
 * mutable state (per-instance scratch space comes from {@link #newScratch()}).
 */
public abstract class WindowProgram {
    protected final boolean longKeys;

    protected WindowProgram(boolean longKeys) {
        this.longKeys = longKeys;
    }

    public abstract PaneTable newPaneTable();

    /**
     * State one key group keeps across its panes for this program (e.g. an index of the keys its live panes
     * hold), or {@code null} for none: made once per key group, passed to {@link #newPaneTable(Object)} and
     * {@link #expirePane}, touched only by the key group's owner.
     */
    public Object newGroupState(int panesPerWindow) {
        return null;
    }

    /** A pane table of a key group whose {@link #newGroupState group state} is {@code group}. */
    public PaneTable newPaneTable(Object group) {
        return newPaneTable();
    }

    /** Called before pane table {@code t} of a key group is cleared because every pane before {@code firstKept} expires. */
    public void expirePane(Object group, PaneTable t, long firstKept) {
    }

    /** Per-instance working space for merging panes. */
    public abstract Object newScratch();

    /**
     * Emits window {@code w} of one key group.
     *
     * @param panes the window's panes, oldest first; an entry is {@code null} where the key group had no
     *     data in that pane
     * @param count number of entries in {@code panes}
     * @param lane the key group
     */
    public abstract void emit(PaneTable[] panes, int count, TimeWindow w, int lane, WindowOutput out, Object scratch);
}
