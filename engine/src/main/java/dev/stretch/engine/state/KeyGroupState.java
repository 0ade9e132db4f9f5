package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;
import it.unimi.dsi.fastutil.HashCommon;

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
    /**
     * The cached pane's key table and value columns, copied here so that a tuple of the cached pane is added
     * with loads from this object and those arrays alone ({@link #addHot}), not through the pane table, its
     * key index and the index's map (a chain of dependent loads, each in another line for each key group).
     * {@code null} when the program has no such path or the path is switched off. The arrays are replaced
     * only when a key is added (growth) or removed; after every such change {@link #refreshHot} copies them
     * again; {@code clear} keeps them. Like the rest of this object, written and read by the key group's
     * current owner only (a new owner reads it after the reconfiguration barrier, as the pane tables).
     */
    private long[] hotKeys;
    private int[] hotSlots;
    private int hotMask;
    private long[] hotValues;
    private long[] hotCounts;
    private final PrimitiveAggregateProgram hotProgram;

    public KeyGroupState(WindowProgram program, int panesPerWindow) {
        this(program, panesPerWindow, true);
    }

    /** @param hot whether a primitive aggregate over long keys and values takes the {@link #addHot} path */
    public KeyGroupState(WindowProgram program, int panesPerWindow, boolean hot) {
        this.program = program;
        this.hotProgram = hot && program instanceof PrimitiveAggregateProgram p && p.hasHotPath() ? p : null;
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
        refreshHot();
        return cached;
    }

    /**
     * Adds tuple {@code i} of {@code batch} to pane {@code pane} if that pane is the cached one (a key the
     * pane lacks is added where the probe ended); returns {@code false} (nothing done) otherwise, or for key
     * 0: the caller then goes through {@link #table} and {@link PaneTable#update}, and calls
     * {@link #refreshHot} after it. The probe is fastutil's own ({@code Long2IntOpenHashMap.find}) over the
     * same arrays, and a new key goes in as its {@code putIfAbsent} would put it, so both paths build the
     * same table. May throw what the user's field extractor throws, having changed nothing.
     */
    public boolean addHot(long pane, TupleBatch batch, int i) throws Exception {
        long[] keys = hotKeys;
        if (keys == null || pane != cachedPane) {
            return false;
        }
        long k = batch.longKey[i];
        if (k == 0) { // fastutil keeps key 0 outside the array
            return false;
        }
        int mask = hotMask;
        int pos = (int) HashCommon.mix(k) & mask;
        long c;
        while ((c = keys[pos]) != k) {
            if (c == 0) { // a key new to the pane: added where the probe ended, as putIfAbsent would
                if (hotProgram.addNewAt(cached, pos, k, batch, i)) {
                    refreshHot(); // the table grew: new arrays
                }
                return true;
            }
            pos = (pos + 1) & mask;
        }
        hotProgram.addAt(hotValues, hotCounts, hotSlots[pos], batch, i);
        return true;
    }

    /** Copies the cached pane's arrays for {@link #addHot} (after anything that may have replaced them). */
    public void refreshHot() {
        if (hotProgram == null) {
            return;
        }
        PaneTable t = cached;
        if (t == null) {
            hotKeys = null;
            return;
        }
        LongKeyIndex.Slots m = ((LongKeyIndex) t.keys).slots;
        hotKeys = m.keyArray();
        hotSlots = m.valueArray();
        hotMask = m.probeMask();
        hotValues = hotProgram.values(t);
        hotCounts = hotProgram.counts(t);
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
        hotKeys = null;
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
