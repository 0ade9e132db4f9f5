package dev.stretch.engine.esg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reader of an {@link ElasticScaleGate}. It merges the writers' rings itself and hands out
 * <em>runs</em>: maximal stretches of ready tuples from one writer's batch, read in place. Every
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
            Cursor[] cs = cursors;
            for (Cursor c : cs) {
                c.refresh();
            }
            if (gate.membership() != m) {
                continue; // a writer joined while we looked; see the class comment
            }
            return select(cs, run, limitTs, limitOrder);
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

    private boolean select(Cursor[] cs, Run run, long limitTs, long limitOrder) {
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
            return false;
        }
        TupleBatch b = best.batch;
        int from = best.pos;
        int last = b.size - 1;
        int to;
        long lastTs = b.ts[last];
        if (lastTs < lTs || (lastTs == lTs && b.order[last] < lOrd)) {
            to = b.size;
        } else {
            to = firstAtOrAbove(b, from + 1, last, lTs, lOrd);
        }
        best.pos = to;
        lastRun = best;
        run.set(b, from, to, best.writer.side, best.writer);
        tuplesReadLocal += to - from;
        READ.setOpaque(this, tuplesReadLocal);
        return true;
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
    }

    @Override
    public String toString() {
        return gate.name() + "/r" + id;
    }

    /** This reader's position in one writer's ring. */
    static final class Cursor {
        final EsgWriter writer;
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
            this.gate = gate;
            this.ring = writer.ring;
            this.mask = writer.mask;
            this.seq = seq;
        }

        long releasedBatches() {
            return seq;
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
