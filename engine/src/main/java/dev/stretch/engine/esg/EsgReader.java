package dev.stretch.engine.esg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reader of an {@link ElasticScaleGate}. It merges the writers' rings (itself, or once for all readers
 * through the gate's merge log) and hands out <em>runs</em>: maximal stretches of ready tuples from one writer's batch, read in place. Every
 * reader of a gate gets the same tuples in the same order, whatever the timing of the writers.
 *
 * <p>Used by exactly one thread at a time (an operator instance). The gate's membership operations
 * touch the reader only through {@link #addGate} and {@link #removeGates} (a volatile, copy-on-write map)
 * or while its thread is paused ({@link #copyPositionFrom}).
 *
 * <h2>Readiness</h2>
 * The head of writer {@code b} is ready when, for every other writer {@code w}, either {@code w}'s own
 * head sorts after it, or {@code w} has nothing unread and its heartbeat is at or above the head's
 * timestamp. The whole prefix of {@code b}'s batch that sorts below that bound is one run.
 *
 * <h2>Memory ordering</h2>
 * See {@link EsgWriter}: the reader loads a writer's heartbeat before its published count, and releases
 * a batch (its gate) only after it is done reading it. In addition, the membership is read again
 * <em>after</em> the writers' published counts: a writer added at the epoch barrier with progress
 * {@code T} is installed before any existing writer publishes a tuple above {@code T}, so a reader that
 * has acquired such a tuple is guaranteed to see the new writer on the second read, and holds the tuple
 * back until it knows where the new writer stands.
 *
 * <h2>Merging once</h2>
 * While it shares the gate, a reader follows the gate's {@link MergeLog}: it takes the next run from the log
 * and merges (the readiness rule above) only at the log's tail, offering the run it found as the next entry.
 * Runs from the log are cut at the caller's limit like merged ones; the rest of the entry comes next. See
 * {@link MergeLog} for the protocol and its memory-ordering argument.
 */
public final class EsgReader {
    private static final VarHandle READ;

    static {
        try {
            READ = MethodHandles.lookup().findVarHandle(EsgReader.class, "tuplesRead", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ElasticScaleGate gate;
    private final int id;
    private volatile Map<EsgWriter, PaddedSequence> gatesByWriter = new IdentityHashMap<>();
    private ElasticScaleGate.Membership seen;
    private Cursor[] cursors = new Cursor[0];
    private long watermark = Long.MIN_VALUE;
    @SuppressWarnings("unused") // through READ (opaque), for metrics
    private long tuplesRead;
    private long tuplesReadLocal;
    private Cursor lastRun;
    /** Runs this reader merged itself (reader thread). */
    private long merged;
    /** The end of the run {@link #choose} found. */
    private int chosenTo;
    // The shared merge log (see MergeLog). Written by the reader thread, or under the gate's lock while the
    // reader is paused or not yet published (joinLog, copyPositionFrom).
    /** Whether this reader takes its runs from the gate's merge log; once it stops, only the gate restarts it. */
    private volatile boolean following;
    /** Entries of the log this reader is done with; the next one it reads is {@code logAt}. */
    private long logAt;
    /** {@code logAt} for the proposers' free-slot check; {@code Long.MAX_VALUE} while not following. */
    final PaddedSequence logPub = new PaddedSequence(Long.MAX_VALUE);
    /** A lower bound of every follower's {@code logPub}, refreshed when the log looks full. */
    private long cachedLogMin;
    /** The cursor of the log entry being handed out ({@code null}: none), and where that entry ends. */
    private Cursor cur;
    private int curTo;

    EsgReader(ElasticScaleGate gate, int id) {
        this.gate = gate;
        this.id = id;
    }

    public int id() {
        return id;
    }

    public ElasticScaleGate gate() {
        return gate;
    }

    /** {@link #nextRun(Run, long, long)} with every tuple up to timestamp {@code limitTs} allowed. */
    public boolean nextRun(Run run, long limitTs) {
        return nextRun(run, limitTs, Long.MAX_VALUE);
    }

    /**
     * Finds the next run of ready tuples whose (timestamp, order) is at or below
     * ({@code limitTs}, {@code limitOrder}).
     *
     * @return {@code true} with {@code run} filled in, or {@code false} when nothing is ready now; then
     *     {@link #watermark()} tells how far the merged stream is complete
     */
    public boolean nextRun(Run run, long limitTs, long limitOrder) {
        for (;;) {
            ElasticScaleGate.Membership m = gate.membership();
            if (m != seen) {
                rebuild(m);
            }
            Cursor c = cur;
            if (c != null) { // following the shared log: the rest of the current entry first
                if (c.pos < curTo) {
                    return handOut(c, curTo, run, limitTs, limitOrder);
                }
                finishEntry(c);
            }
            long slotValue = 0;
            boolean propose = false;
            if (following) {
                if (m.readers.length > 1) {
                    MergeLog log = gate.log;
                    slotValue = log.get(logAt);
                    if (MergeLog.isEntry(slotValue, logAt, log.shift)) {
                        startEntry(slotValue);
                        continue;
                    }
                    propose = true; // at the tail: merge the next run here and offer it to the others
                } else {
                    leaveLog(); // nobody to share the merge with
                }
            }
            Cursor[] cs = cursors;
            for (Cursor x : cs) {
                x.refresh();
            }
            if (gate.membership() != m) {
                continue; // a writer joined while we looked; see the class comment
            }
            Cursor best = choose(cs, limitTs, limitOrder);
            if (best == null) {
                return false;
            }
            int to = chosenTo;
            if (propose) {
                int r = offer(m, slotValue, best, to);
                if (r == TAKEN) {
                    continue; // another reader appended this entry first: follow it
                }
                if (r == FULL) {
                    return false; // a following reader is a whole log behind: wait for it (watermark is valid)
                }
                cur = best;
                curTo = to;
            }
            merged++;
            int from = best.pos;
            best.pos = to;
            lastRun = best;
            run.set(best.batch, from, to, best.writer.side, best.writer);
            tuplesReadLocal += to - from;
            READ.setOpaque(this, tuplesReadLocal);
            return true;
        }
    }

    /**
     * Gives back the tail {@code [index, run.to)} of the last run: the next {@link #nextRun} starts at
     * {@code index}. For a reader that stops part-way through a run (to take part in a reconfiguration).
     */
    public void unread(Run run, int index) {
        if (lastRun == null || lastRun.batch != run.batch || index < run.from || index > run.to) {
            throw new IllegalArgumentException("not the last run, or index outside it");
        }
        lastRun.pos = index;
        tuplesReadLocal -= run.to - index;
        READ.setOpaque(this, tuplesReadLocal);
        run.to = index;
    }

    /**
     * How far the merged stream is complete, as of the last {@link #nextRun} call: no tuple with a
     * timestamp at or below it remains to be read. {@code Long.MAX_VALUE} once every writer has ended.
     */
    public long watermark() {
        return watermark;
    }

    /** Tuples handed out so far (any thread; for metrics). */
    public long tuplesRead() {
        return (long) READ.getOpaque(this);
    }

    /**
     * Runs this reader merged itself (chose among the writers' heads), as opposed to runs it took from the
     * shared log (reader thread; for tests and diagnosis).
     */
    public long runsMerged() {
        return merged;
    }

    /** Whether this reader currently follows the gate's shared merge log (reader thread, or while paused). */
    public boolean followsSharedLog() {
        return following;
    }

    // ---------------------------------------------------------------- the shared merge log (see MergeLog)

    private static final int OK = 0;
    private static final int TAKEN = 1;
    private static final int FULL = 2;

    /**
     * Hands out {@code [c.pos, to)} of the current log entry, cut at the limit. When even its first tuple
     * is beyond the limit, returns {@code false} with the watermark just below that tuple: every tuple
     * before it in the merged order, so every tuple with a lower timestamp, has been handed out.
     */
    private boolean handOut(Cursor c, int to, Run run, long limitTs, long limitOrder) {
        TupleBatch b = c.batch;
        int from = c.pos;
        int end = to;
        if (limitOrder != Long.MAX_VALUE || limitTs != Long.MAX_VALUE) {
            long lTs; // exclusive bound, as in choose
            long lOrd;
            if (limitOrder != Long.MAX_VALUE) {
                lTs = limitTs;
                lOrd = limitOrder + 1;
            } else {
                lTs = limitTs + 1;
                lOrd = Long.MIN_VALUE;
            }
            long t = b.ts[from];
            if (!(t < lTs || (t == lTs && b.order[from] < lOrd))) {
                watermark = t - 1; // t > Long.MIN_VALUE: a batch refuses tuples at or below the writer's start
                return false;
            }
            long lt = b.ts[to - 1];
            if (!(lt < lTs || (lt == lTs && b.order[to - 1] < lOrd))) {
                end = firstAtOrAbove(b, from + 1, to - 1, lTs, lOrd);
            }
        }
        c.pos = end;
        lastRun = c;
        run.set(b, from, end, c.writer.side, c.writer);
        tuplesReadLocal += end - from;
        READ.setOpaque(this, tuplesReadLocal);
        return true;
    }

    /** The current entry is handed out: move past it and release its batch if it ended there. */
    private void finishEntry(Cursor c) {
        cur = null;
        logPub.setRelease(++logAt); // the slot may be reused once every follower is past it
        if (c.pos == c.batch.size) {
            c.release();
        }
    }

    /** Takes log entry {@code v} (at {@code logAt}) as the current entry. */
    private void startEntry(long v) {
        int wid = MergeLog.writerOf(v);
        int to = MergeLog.toOf(v);
        Cursor c = cursorOf(wid);
        if (c == null) { // a writer added since this reader last looked at the membership
            rebuild(gate.membership());
            c = cursorOf(wid);
            if (c == null) {
                throw new IllegalStateException(this + ": merge log entry " + logAt + " names writer " + wid
                        + ", which this reader does not know");
            }
        }
        if (c.batch != null && c.pos == c.batch.size) {
            c.release();
        }
        if (c.batch == null) {
            // published: the proposer acquired the writer's count before it appended the entry (see MergeLog)
            c.batch = c.ring[(int) c.seq & c.mask];
            c.pos = 0;
        }
        if (to <= c.pos || to > c.batch.size) {
            throw new IllegalStateException(this + ": merge log entry " + logAt + " ends at " + to
                    + " but writer " + wid + " stands at " + c.pos + " of " + c.batch.size);
        }
        cur = c;
        curTo = to;
    }

    private Cursor cursorOf(int wid) {
        Cursor l = lastRun;
        if (l != null && l.wid == wid) {
            return l;
        }
        for (Cursor c : cursors) {
            if (c.wid == wid) {
                return c;
            }
        }
        return null;
    }

    /**
     * Appends the run this reader merged ({@code to} on {@code best}'s batch) as entry {@code logAt}, if the
     * slot still holds {@code old} (not yet entry {@code logAt}) and every follower is past the entry the
     * slot held.
     */
    private int offer(ElasticScaleGate.Membership m, long old, Cursor best, int to) {
        MergeLog log = gate.log;
        long p = logAt;
        if (p - cachedLogMin >= log.capacity) {
            cachedLogMin = minLogPosition(m);
            if (p - cachedLogMin >= log.capacity) {
                return FULL;
            }
        }
        return log.append(p, old, best.wid, to) ? OK : TAKEN;
    }

    /*
     * The slowest follower's log position, safe against readers added meanwhile: the argument of
     * EsgWriter.minGate, with the membership in place of the gate array and log positions in place of
     * released counts. A reader added at template T's position R (T paused) either was in the membership we
     * loaded, or joined after it; if T's position we read is above R, T moved after resuming, which happens
     * after the new membership was published, so our second load sees a different membership and we look
     * again. Solo readers publish Long.MAX_VALUE and do not count.
     */
    private long minLogPosition(ElasticScaleGate.Membership m) {
        for (;;) {
            long min = logAt;
            for (EsgReader r : m.readers) {
                long v = r.logPub.getAcquire();
                if (v < min) {
                    min = v;
                }
            }
            ElasticScaleGate.Membership again = gate.membership();
            if (again == m) {
                return min;
            }
            m = again;
        }
    }

    /** Stops following the log (reader thread, between entries): it merges for itself from here on. */
    private void leaveLog() {
        following = false;
        logPub.setRelease(Long.MAX_VALUE);
    }

    /** Starts following the log at position {@code p} (under the gate's lock, reader paused or new). */
    void joinLog(long p) {
        cur = null;
        logAt = p;
        cachedLogMin = 0;
        logPub.setRelease(p);
        following = true;
    }

    /** Whether this reader follows the log (any thread: the gate, under its lock). */
    boolean isFollowing() {
        return following;
    }

    /**
     * Chooses the next run among the cursors' heads: returns its writer's cursor with {@link #chosenTo}
     * set, or {@code null} when nothing is ready below the limit; sets the watermark either way.
     */
    private Cursor choose(Cursor[] cs, long limitTs, long limitOrder) {
        Cursor best = null;
        long bTs = Long.MAX_VALUE;
        long bOrd = Long.MAX_VALUE;
        long lTs = Long.MAX_VALUE; // every tuple of the run sorts strictly below (lTs, lOrd)
        long lOrd = Long.MAX_VALUE;
        long wm = Long.MAX_VALUE;
        for (Cursor c : cs) {
            if (c.done) {
                continue;
            }
            if (c.hasData) {
                TupleBatch b = c.batch;
                long t = b.ts[c.pos];
                long o = b.order[c.pos];
                if (t - 1 < wm) {
                    wm = t - 1;
                }
                if (t < bTs || (t == bTs && o < bOrd)) {
                    if (best != null && (bTs < lTs || (bTs == lTs && bOrd < lOrd))) {
                        lTs = bTs;
                        lOrd = bOrd;
                    }
                    best = c;
                    bTs = t;
                    bOrd = o;
                } else if (t < lTs || (t == lTs && o < lOrd)) {
                    lTs = t;
                    lOrd = o;
                }
            } else {
                long h = c.hb;
                if (h < wm) {
                    wm = h;
                }
                long lt = h + 1; // h < MAX here: a writer at MAX with nothing unread is done
                if (lt < lTs || (lt == lTs && lOrd != Long.MIN_VALUE)) {
                    lTs = lt;
                    lOrd = Long.MIN_VALUE;
                }
            }
        }
        watermark = wm;
        if (limitOrder != Long.MAX_VALUE) { // inclusive (limitTs, limitOrder) = exclusive (limitTs, limitOrder + 1)
            if (limitTs < lTs || (limitTs == lTs && limitOrder + 1 < lOrd)) {
                lTs = limitTs;
                lOrd = limitOrder + 1;
            }
        } else if (limitTs != Long.MAX_VALUE) { // inclusive (limitTs, MAX) = exclusive (limitTs + 1, MIN)
            long lt = limitTs + 1;
            if (lt < lTs || (lt == lTs && lOrd != Long.MIN_VALUE)) {
                lTs = lt;
                lOrd = Long.MIN_VALUE;
            }
        }
        if (best == null || !(bTs < lTs || (bTs == lTs && bOrd < lOrd))) {
            return null;
        }
        TupleBatch b = best.batch;
        int last = b.size - 1;
        long lastTs = b.ts[last];
        if (lastTs < lTs || (lastTs == lTs && b.order[last] < lOrd)) {
            chosenTo = b.size;
        } else {
            chosenTo = firstAtOrAbove(b, best.pos + 1, last, lTs, lOrd);
        }
        return best;
    }

    /**
     * First index in [lo, hi] whose key is at or above (t, o); hi's key is known to be. Gallops from
     * {@code lo} (1, 2, 4, … ahead) before the binary search: when writers interleave closely, runs are a
     * few tuples long and the answer is near {@code lo}, so a run costs O(log run) probes, not
     * O(log batch).
     */
    static int firstAtOrAbove(TupleBatch b, int lo, int hi, long t, long o) {
        long[] ts = b.ts;
        long[] ord = b.order;
        int step = 1;
        while (lo < hi) {
            int probe = lo + step - 1;
            if (probe >= hi) {
                break;
            }
            long pt = ts[probe];
            if (pt < t || (pt == t && ord[probe] < o)) {
                lo = probe + 1;
                step <<= 1;
            } else {
                hi = probe;
                break;
            }
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long mt = ts[mid];
            if (mt < t || (mt == t && ord[mid] < o)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void rebuild(ElasticScaleGate.Membership m) {
        Map<EsgWriter, PaddedSequence> gates = gatesByWriter;
        Cursor[] old = cursors;
        Cursor[] next = new Cursor[m.writers.length];
        int n = 0;
        for (int i = 0; i < next.length; i++) {
            EsgWriter w = m.writers[i];
            Cursor c = null;
            for (Cursor o : old) {
                if (o.writer == w) {
                    c = o;
                    break;
                }
            }
            if (c == null) {
                PaddedSequence g = gates.get(w);
                if (g == null) {
                    // Pruned since m was published: every reader had drained it (a writer is added to the
                    // readers' maps before it is published, so a missing gate is never a new writer's).
                    if (!w.isClosed()) {
                        throw new IllegalStateException(this + " has no gate for " + w);
                    }
                    continue;
                }
                c = new Cursor(w, g, g.getPlain());
            }
            next[n++] = c;
        }
        cursors = n == next.length ? next : Arrays.copyOf(next, n);
        seen = m;
    }

    void addGate(EsgWriter w, PaddedSequence g) {
        gatesByWriter = ElasticScaleGate.copyWith(gatesByWriter, w, g);
    }

    /** Forgets the gates of writers that left the membership (under the gate's lock). */
    void removeGates(List<EsgWriter> ws) {
        Map<EsgWriter, PaddedSequence> m = new IdentityHashMap<>(gatesByWriter);
        for (EsgWriter w : ws) {
            m.remove(w);
        }
        gatesByWriter = m;
    }

    PaddedSequence gateOf(EsgWriter w) {
        return gatesByWriter.get(w);
    }

    Map<EsgWriter, Cursor> positions() {
        Map<EsgWriter, Cursor> m = new IdentityHashMap<>();
        for (Cursor c : cursors) {
            m.put(c.writer, c);
        }
        return m;
    }

    /** Takes the template's exact position. Both threads must be paused (see the class comment). */
    void copyPositionFrom(EsgReader template) {
        Map<EsgWriter, PaddedSequence> gates = gatesByWriter;
        Cursor[] tcs = template.cursors;
        Cursor[] cs = new Cursor[tcs.length];
        int n = 0;
        for (Cursor t : tcs) {
            PaddedSequence g = gates.get(t.writer);
            if (g == null) {
                continue; // pruned after the template last looked: drained by every reader, the template too
            }
            Cursor c = new Cursor(t.writer, g, t.seq);
            c.batch = t.batch;
            c.pos = t.pos;
            c.pubCache = t.pubCache;
            c.hb = t.hb;
            c.hasData = t.hasData;
            c.done = t.done;
            cs[n++] = c;
        }
        cursors = n == cs.length ? cs : Arrays.copyOf(cs, n);
        seen = template.seen;
        watermark = template.watermark;
        tuplesReadLocal = template.tuplesReadLocal;
        READ.setOpaque(this, tuplesReadLocal);
        // the same place in the shared log: the same entry, as far handed out as the template's
        cur = null;
        if (template.cur != null) {
            for (Cursor c : cursors) {
                if (c.writer == template.cur.writer) {
                    cur = c;
                }
            }
            if (cur == null) {
                throw new IllegalStateException(this + ": the template's current log entry names a writer it has no gate for");
            }
        }
        curTo = template.curTo;
        logAt = template.logAt;
        cachedLogMin = 0;
        boolean f = template.following;
        logPub.setRelease(f ? logAt : Long.MAX_VALUE); // before the gate publishes this reader
        following = f;
    }

    /** Where this reader stands in the shared merge log, for diagnosis ({@code "own merge"} when not following). */
    String logPosition() {
        return following ? "log@" + logPub.getAcquire() : "own merge";
    }

    @Override
    public String toString() {
        return gate.name() + "/r" + id;
    }

    /** This reader's position in one writer's ring. */
    static final class Cursor {
        final EsgWriter writer;
        /** The writer's id as the merge log stores it. */
        final int wid;
        final PaddedSequence gate;
        final TupleBatch[] ring;
        final int mask;
        /** Sequence of the batch loaded (or to load next); equals the gate's value. */
        long seq;
        TupleBatch batch;
        int pos;
        long pubCache;
        long hb = Long.MIN_VALUE;
        boolean hasData;
        boolean done;

        Cursor(EsgWriter writer, PaddedSequence gate, long seq) {
            this.writer = writer;
            this.wid = MergeLog.wid(writer.id);
            this.gate = gate;
            this.ring = writer.ring;
            this.mask = writer.mask;
            this.seq = seq;
        }

        long releasedBatches() {
            return seq;
        }

        /**
         * Done with the loaded batch (fully handed out, and the reader has been called again): the writer may
         * refill its slot. A closed writer whose last batch this was leaves the gate if no reader needs it.
         */
        void release() {
            batch = null;
            gate.setRelease(++seq);
            writer.roomFreed(seq);
            if (writer.isClosed() && seq == writer.published.getAcquire()) {
                writer.gate.pruneIfDrained(writer);
            }
        }

        void refresh() {
            if (done) {
                return;
            }
            TupleBatch b = batch;
            if (b != null) {
                if (pos < b.size) {
                    hasData = true;
                    return;
                }
                batch = null;
                gate.setRelease(++seq); // done reading this slot: the writer may refill it
                writer.roomFreed(seq);
            }
            if (seq < pubCache) {
                batch = ring[(int) seq & mask];
                pos = 0;
                hasData = true;
                return;
            }
            long h = writer.heartbeat.getAcquire(); // before the published count: see EsgWriter
            pubCache = writer.published.getAcquire();
            if (seq < pubCache) {
                batch = ring[(int) seq & mask];
                pos = 0;
                hasData = true;
            } else {
                hasData = false;
                hb = h;
                if (h == Long.MAX_VALUE) {
                    done = true; // closed, and every batch released: the last reader to get here removes it
                    writer.gate.pruneIfDrained(writer);
                }
            }
        }
    }
}
