package dev.stretch.engine.exec;

import dev.stretch.engine.esg.TupleBatch;

/**
 * How a window instance goes through one run of its input: it adds the tuples of its own key groups to
 * their panes and closes its windows as their ends pass, in exactly the order a tuple-by-tuple loop would
 * (close every window ending at or before a tuple's timestamp, then add the tuple if it is owned), but
 * without looking at each tuple's timestamp or branching on its ownership.
 *
 * <h2>Segments and chunks</h2>
 * A run is sorted by timestamp, so the tuples before the next window end form a prefix, its
 * <em>segment</em>, found by binary search. Within a segment only ownership matters: the segment is cut
 * into chunks of {@link #CHUNK} tuples; a chunk's owned indexes are gathered without a branch (a tuple is
 * owned with probability 1/instances, which a branch predicts badly), then added. A foreign tuple costs a
 * {@code short} load, a mask load and an add; its timestamp is never read.
 *
 * <p>The segment's bound is only valid for the window end it was computed with. Adding a tuple never
 * moves an open window's end, but it opens the instance's first window when none was open
 * ({@link OpenWindows#nextEnd()} leaves {@link #NO_END}); the segment then ends at that window's end, and
 * the scan starts a new segment right after the tuple that opened it, wherever in its chunk that tuple
 * stood.
 *
 * <h2>Stopping</h2>
 * Between chunks the scan asks whether to stop ({@link OpenWindows#stopRequested()}: a reconfiguration
 * waits for this instance's vote), so an expensive operator answers within one chunk rather than at the
 * end of a long run. It then returns the index it stopped at; everything before it is fully processed.
 *
 * <h2>Multi-key tuples</h2>
 * A tuple of a multi-key operator carries several keys ({@link TupleBatch#isMultiKey()}).
 * {@link #scanMulti} walks the same segments, but a tuple is added once for each of its keys whose key
 * group the instance owns ({@link OpenWindows#addKey}), in the keys' order. A tuple is never copied: every
 * instance reads the same batch entry and looks only at its own keys.
 *
 * <p>One per instance; not thread-safe.
 */
final class OwnedTupleScan {
    /** {@link OpenWindows#nextEnd()} when no window is open. */
    static final long NO_END = Long.MAX_VALUE;
    /** Tuples per chunk: ownership is gathered, and a stop request checked, once per chunk. */
    static final int CHUNK = 64;

    /** The instance's windows, as the scan drives them. */
    interface OpenWindows {
        /** The end of the earliest open window of the instance's key groups; {@link #NO_END} when none is open. */
        long nextEnd();

        /**
         * Adds owned tuple {@code k} to its key group's pane (a failing user function is the instance's to
         * handle). May open the first window; never moves the end of an open one.
         */
        void add(TupleBatch batch, int k, int side);

        /** As {@link #add}, for key {@code j} of multi-key tuple {@code k} (an index into the multi-key columns). */
        void addKey(TupleBatch batch, int k, int j, int side);

        /** Emits and expires every window ending at or before {@code ts} (a tuple with that timestamp came). */
        void closeUpTo(long ts);

        /** Whether the scan should stop at the next chunk boundary. */
        boolean stopRequested();
    }

    private final int[] own = new int[CHUNK];
    /** Gathered (key entry, tuple) pairs of a multi-key chunk; grown to the chunk's key count. */
    private int[] ownKey = new int[4 * CHUNK];
    private int[] ownTuple = new int[4 * CHUNK];
    private long added;

    /**
     * Processes tuples {@code [from, to)} of {@code batch}; returns where it stopped: {@code to}, or a chunk
     * boundary before it when a stop was requested.
     *
     * @param mine 1 for the key groups the instance owns, else 0
     */
    int scan(TupleBatch batch, int from, int to, int side, byte[] mine, OpenWindows windows) {
        long[] ts = batch.ts;
        short[] kgs = batch.keyGroup;
        int[] own = this.own;
        long n = 0;
        int stride = from + CHUNK;
        int i = from;
        scan:
        while (i < to) {
            long end = windows.nextEnd();
            int segEnd = ts[to - 1] < end ? to : firstTsAtOrAbove(ts, i, to - 1, end);
            if (segEnd == i) { // ts[i] reaches the next window end: close what ends at or before it
                if (i >= stride) {
                    stride = i + CHUNK;
                    if (windows.stopRequested()) {
                        break;
                    }
                }
                windows.closeUpTo(ts[i]);
                continue;
            }
            while (i < segEnd) {
                if (i == stride) {
                    stride += CHUNK;
                    if (windows.stopRequested()) {
                        break scan;
                    }
                }
                int chunkEnd = Math.min(segEnd, stride);
                int cnt = 0;
                for (int k = i; k < chunkEnd; k++) {
                    own[cnt] = k;
                    cnt += mine[kgs[k]];
                }
                for (int q = 0; q < cnt; q++) {
                    int k = own[q];
                    windows.add(batch, k, side);
                    n++;
                    // The first window opened: if it ends inside this segment, the segment ends there, even
                    // when k is the chunk's last tuple (the next chunk would otherwise run past the end).
                    if (end == NO_END && (end = windows.nextEnd()) != NO_END && ts[segEnd - 1] >= end) {
                        i = k + 1;
                        continue scan;
                    }
                }
                i = chunkEnd;
            }
        }
        added = n;
        return i;
    }

    /**
     * As {@link #scan}, for a batch of multi-key tuples: each tuple is added once per key of an owned key
     * group, in the keys' order; a stop request is checked every {@link #CHUNK} tuples. Within a chunk, the
     * owned (tuple, key) entries are gathered without a branch on ownership, as {@link #scan} gathers owned
     * tuples (a key is owned with probability 1/instances). {@link #added()} counts (tuple, key) adds.
     */
    int scanMulti(TupleBatch batch, int from, int to, int side, byte[] mine, OpenWindows windows) {
        long[] ts = batch.ts;
        int[] keysEnd = batch.keysEnd;
        short[] groups = batch.multiGroup;
        long n = 0;
        int stride = from + CHUNK;
        int i = from;
        scan:
        while (i < to) {
            long end = windows.nextEnd();
            int segEnd = ts[to - 1] < end ? to : firstTsAtOrAbove(ts, i, to - 1, end);
            if (segEnd == i) { // ts[i] reaches the next window end: close what ends at or before it
                if (i >= stride) {
                    stride = i + CHUNK;
                    if (windows.stopRequested()) {
                        break;
                    }
                }
                windows.closeUpTo(ts[i]);
                continue;
            }
            while (i < segEnd) {
                if (i >= stride) {
                    stride = i + CHUNK;
                    if (windows.stopRequested()) {
                        break scan;
                    }
                }
                int chunkEnd = Math.min(segEnd, stride);
                int j = i == 0 ? 0 : keysEnd[i - 1];
                int keys = keysEnd[chunkEnd - 1] - j;
                if (keys > ownKey.length) {
                    ownKey = new int[Math.max(keys, 2 * ownKey.length)];
                    ownTuple = new int[ownKey.length];
                }
                int[] oj = ownKey;
                int[] ok = ownTuple;
                int cnt = 0;
                for (int k = i; k < chunkEnd; k++) {
                    for (int e = keysEnd[k]; j < e; j++) {
                        oj[cnt] = j;
                        ok[cnt] = k;
                        cnt += mine[groups[j]];
                    }
                }
                for (int q = 0; q < cnt; q++) {
                    int k = ok[q];
                    windows.addKey(batch, k, oj[q], side);
                    n++;
                    // The first window opened: if it ends inside this segment, the segment ends there. The
                    // rest of this tuple's owned keys go in first (same timestamp, same pane).
                    if (end == NO_END && (end = windows.nextEnd()) != NO_END && ts[segEnd - 1] >= end) {
                        while (q + 1 < cnt && ok[q + 1] == k) {
                            q++;
                            windows.addKey(batch, k, oj[q], side);
                            n++;
                        }
                        i = k + 1;
                        continue scan;
                    }
                }
                i = chunkEnd;
            }
        }
        added = n;
        return i;
    }

    /** Owned tuples the last {@link #scan} added. */
    long added() {
        return added;
    }

    /** First index in [lo, hi] whose timestamp is at or above {@code t}; {@code ts[hi]} is known to be. */
    static int firstTsAtOrAbove(long[] ts, int lo, int hi, long t) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ts[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
