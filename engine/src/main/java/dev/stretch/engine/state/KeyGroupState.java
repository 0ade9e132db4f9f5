package dev.stretch.engine.state;

/**
 * The window state of one key group: a ring of pane tables, one per pane that an open window still
 * covers. Lives in memory shared by all instances of a VSN operator and is touched only by the
 * instance that owns the key group; a reconfiguration hands it over by changing the owner, not by
 * copying (the epoch barrier makes the old owner's writes visible to the new one).
 */
public final class KeyGroupState {
    static final long NONE = Long.MIN_VALUE;

    private final WindowProgram program;
    private final PaneTable[] ring;
    private final long[] paneOf;
    private long minLive = NONE;
    private long cachedPane = NONE;
    private PaneTable cached;

    public KeyGroupState(WindowProgram program, int panesPerWindow) {
        this.program = program;
        this.ring = new PaneTable[panesPerWindow];
        this.paneOf = new long[panesPerWindow];
        java.util.Arrays.fill(paneOf, NONE);
    }

    /** The table of pane {@code pane}, created if needed. */
    public PaneTable table(long pane) {
        if (pane == cachedPane) {
            return cached;
        }
        int slot = (int) Math.floorMod(pane, (long) ring.length);
        if (paneOf[slot] != pane) {
            if (paneOf[slot] != NONE) {
                throw new IllegalStateException("pane " + paneOf[slot] + " was not expired before pane " + pane);
            }
            if (ring[slot] == null) {
                ring[slot] = program.newPaneTable();
            }
            paneOf[slot] = pane;
            if (minLive == NONE || pane < minLive) {
                minLive = pane;
            }
        }
        cachedPane = pane;
        cached = ring[slot];
        return cached;
    }

    /** The earliest pane holding data, or {@code Long.MIN_VALUE} when there is none. */
    public long minLivePane() {
        return minLive;
    }

    public boolean hasData() {
        return minLive != NONE;
    }

    /** The table of {@code pane} if it holds data, else {@code null}. */
    public PaneTable tableIfLive(long pane) {
        int slot = (int) Math.floorMod(pane, (long) ring.length);
        return paneOf[slot] == pane ? ring[slot] : null;
    }

    /** Drops every pane before {@code firstKept}. */
    public void expireBefore(long firstKept) {
        if (minLive == NONE || minLive >= firstKept) {
            return;
        }
        long min = NONE;
        for (int i = 0; i < ring.length; i++) {
            long p = paneOf[i];
            if (p == NONE) {
                continue;
            }
            if (p < firstKept) {
                ring[i].clear();
                paneOf[i] = NONE;
            } else if (min == NONE || p < min) {
                min = p;
            }
        }
        minLive = min;
        cachedPane = NONE;
        cached = null;
    }

    /** Keys held across live panes (for metrics and tests). */
    public int liveKeys() {
        int n = 0;
        for (int i = 0; i < ring.length; i++) {
            if (paneOf[i] != NONE) {
                n += ring[i].keys.size();
            }
        }
        return n;
    }
}
