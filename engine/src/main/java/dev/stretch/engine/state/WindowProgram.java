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
