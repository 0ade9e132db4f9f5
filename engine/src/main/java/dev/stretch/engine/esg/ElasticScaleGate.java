package dev.stretch.engine.esg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Elastic ScaleGate (ESG): merges the sorted streams of many writers into one stream ordered by
 * (timestamp, {@link TupleOrder order}) and hands <em>every</em> ready tuple to <em>every</em> reader,
 * in the same order. A tuple is ready once every writer has moved past it: each other writer either
 * has a later tuple waiting or has announced (by data or heartbeat) that it will write nothing at or
 * below the tuple's timestamp.
 *
 * <h2>Structure</h2>
 * Each writer owns a bounded single-producer ring of batches ({@link EsgWriter}); each reader keeps a
 * cursor per writer ({@link EsgReader}). Writers never contend with each other (no shared list, no CAS on
 * the data path). The paper's skip list merges once at insert time; here the merge happens at the readers,
 * a comparison per <em>run</em> of tuples from one writer rather than per tuple, keeping batches intact so
 * that a reader scans columns, and it happens <em>once</em> for all readers: the reader at the tail chooses
 * the next run and appends it to a shared {@link MergeLog}; the others follow the log (one compare-and-set
 * per run, only at the tail; a reader alone in its gate merges for itself and skips the log).
 *
 * <h2>Membership</h2>
 * Writers and readers are added and removed while the gate runs. Changes take the gate's monitor (they
 * are rare: start-up and reconfiguration) and publish a new immutable {@link Membership} through a
 * volatile field. Readers pick it up at their next read. The reconfiguration protocol, not this class,
 * guarantees the conditions under which a change is safe:
 * <ul>
 *   <li>a writer added with start progress {@code T} must write only tuples with timestamps
 *       {@code > T}, and must be added before any reader can see a tuple {@code > T} of the existing
 *       writers (they are paused at the epoch barrier);</li>
 *   <li>a reader added at a template reader's position must be added while the template is paused. Writers
 *       keep running: one that is looking for its slowest reader at that moment notices the new reader
 *       list and looks again (see {@code EsgWriter.minGate} for why that suffices).</li>
 * </ul>
 * A removed writer is closed instead: readers drain what it published, then ignore it; it leaves the
 * membership (and every reader's map of gates) once every reader has released all its batches. The
 * reader that releases a closed writer's last batch last removes it ({@link #pruneIfDrained}), so a
 * gate downstream of a rescaled operator sheds the removed instances' writers by itself, and their
 * rings become garbage; removing a reader removes the writers that only it held back.
 *
 * <h2>Bounded memory</h2>
 * A writer never gets more than its ring size ahead of the slowest reader: it waits (backpressure).
 */
public final class ElasticScaleGate {
    private final String name;
    private final int ringBatches;
    private final int batchCapacity;
    private volatile Membership membership = new Membership(new EsgWriter[0], new EsgReader[0], 0);
    private int nextWriterId;
    private int nextReaderId;
    /** The merge shared by the readers ({@code null}: each reader merges for itself; see {@link MergeLog}). */
    final MergeLog log;
    /** Whether a writer ever left (guarded by {@code this}): the log may then describe data no writer holds. */
    private boolean writerLeft;

    /**
     * Whether readers share one merge ({@link MergeLog}); {@code -Dstretch.esg.sharedMerge=false} makes every
     * reader merge for itself, as before it existed (for side-by-side measurements).
     */
    static final boolean SHARED_MERGE = !"false".equals(System.getProperty("stretch.esg.sharedMerge"));

    public ElasticScaleGate(String name, int ringBatches, int batchCapacity) {
        this(name, ringBatches, batchCapacity, SHARED_MERGE ? MergeLog.capacityFor(batchCapacity) : 0);
    }

    /**
     * With a merge log of {@code logCapacity} entries (a power of two), or none when it is 0: then every reader
     * merges the writers for itself (tests and side-by-side benchmarks).
     */
    public ElasticScaleGate(String name, int ringBatches, int batchCapacity, int logCapacity) {
        this.name = name;
        this.ringBatches = ringBatches;
        this.batchCapacity = batchCapacity;
        this.log = logCapacity > 0 && batchCapacity <= MergeLog.MAX_BATCH ? new MergeLog(logCapacity) : null;
    }

    public String name() {
        return name;
    }

    public int batchCapacity() {
        return batchCapacity;
    }

    Membership membership() {
        return membership;
    }

    /**
     * Adds a writer whose first tuple will have a timestamp above {@code startWatermark}.
     *
     * @param side the input of the consuming operator this writer feeds (0 or 1)
     */
    public synchronized EsgWriter addWriter(int side, long startWatermark) {
        Membership m = membership;
        EsgWriter w = new EsgWriter(this, nextWriterId++, side, ringBatches, batchCapacity, startWatermark);
        PaddedSequence[] gates = new PaddedSequence[m.readers.length];
        for (int i = 0; i < m.readers.length; i++) {
            PaddedSequence g = new PaddedSequence(0);
            gates[i] = g;
            m.readers[i].addGate(w, g);
        }
        w.setGates(gates);
        EsgWriter[] ws = Arrays.copyOf(m.writers, m.writers.length + 1);
        ws[ws.length - 1] = w;
        membership = new Membership(ws, m.readers, m.version + 1);
        return w;
    }

    /** Adds a reader that starts at the beginning of every writer's stream (use before writers publish). */
    public synchronized EsgReader addReader() {
        Membership m = membership;
        EsgReader r = new EsgReader(this, nextReaderId++);
        boolean fresh = log != null && !writerLeft;
        for (EsgWriter w : m.writers) {
            PaddedSequence g = new PaddedSequence(0);
            addGateToWriter(w, g);
            r.addGate(w, g);
            fresh &= w.batchesPublished() == 0;
        }
        if (fresh) { // no data yet, so no entry yet: the log's position 0 is the stream's start, as for r
            r.joinLog(0);
        }
        publishReaders(m, r);
        return r;
    }

    /**
     * Adds a reader positioned exactly where {@code template} is: it will read the same tuples the
     * template reads next. The template's thread must be paused for the duration of the call and must
     * resume only after it (the epoch barrier gives both).
     */
    public synchronized EsgReader addReaderAt(EsgReader template) {
        Membership m = membership;
        EsgReader r = new EsgReader(this, nextReaderId++);
        Map<EsgWriter, EsgReader.Cursor> pos = template.positions();
        for (EsgWriter w : m.writers) {
            EsgReader.Cursor tc = pos.get(w);
            long released = tc == null ? 0 : tc.releasedBatches();
            PaddedSequence g = new PaddedSequence(released);
            addGateToWriter(w, g);
            r.addGate(w, g);
        }
        if (log != null && !template.isFollowing() && noneFollows(m)) {
            // the template merges alone (it was the only reader): share from here, starting a fresh log. No
            // thread uses the log now: every other reader has left it, and the template is paused.
            log.clear();
            template.joinLog(0);
        }
        r.copyPositionFrom(template);
        publishReaders(m, r);
        return r;
    }

    private static boolean noneFollows(Membership m) {
        for (EsgReader x : m.readers) {
            if (x.isFollowing()) {
                return false;
            }
        }
        return true;
    }

    /** Removes a reader; its thread must have stopped reading. Closed writers only it held back leave too. */
    public synchronized void removeReader(EsgReader r) {
        Membership m = membership;
        for (EsgWriter w : m.writers) {
            PaddedSequence g = r.gateOf(w);
            if (g != null) {
                PaddedSequence[] old = w.gates();
                List<PaddedSequence> keep = new ArrayList<>(old.length);
                for (PaddedSequence s : old) {
                    if (s != g) {
                        keep.add(s);
                    }
                }
                w.setGates(keep.toArray(new PaddedSequence[0]));
                w.wakeWaiter(); // it may have waited for this reader only
            }
        }
        EsgReader[] rs = Arrays.stream(m.readers).filter(x -> x != r).toArray(EsgReader[]::new);
        membership = new Membership(m.writers, rs, m.version + 1);
        pruneClosedWriters();
    }

    /**
     * Drops closed writers that every reader has drained. Safe at any time; the reconfiguration calls it
     * so that membership does not grow with each change.
     */
    public synchronized void pruneClosedWriters() {
        Membership m = membership;
        List<EsgWriter> keep = new ArrayList<>(m.writers.length);
        List<EsgWriter> drop = new ArrayList<>();
        for (EsgWriter w : m.writers) {
            if (w.isClosed() && w.backlogBatches() == 0) {
                drop.add(w);
            } else {
                keep.add(w);
            }
        }
        if (!drop.isEmpty()) {
            remove(m, keep, drop);
        }
    }

    /**
     * Called by a reader that has released every batch of closed writer {@code w}: removes {@code w} if no
     * reader still needs it. Once per (reader, closed writer), so rare.
     */
    synchronized void pruneIfDrained(EsgWriter w) {
        Membership m = membership;
        if (!w.isClosed() || w.backlogBatches() != 0) {
            return;
        }
        List<EsgWriter> keep = new ArrayList<>(m.writers.length);
        for (EsgWriter x : m.writers) {
            if (x != w) {
                keep.add(x);
            }
        }
        if (keep.size() != m.writers.length) {
            remove(m, keep, List.of(w));
        }
    }

    /**
     * Publishes a membership without {@code drop} and forgets their gates in every reader. A reader still
     * holding the previous membership may then miss a dropped writer's gate; it skips that writer, which
     * it has drained (see {@code EsgReader.rebuild}).
     */
    private void remove(Membership m, List<EsgWriter> keep, List<EsgWriter> drop) {
        writerLeft = true;
        membership = new Membership(keep.toArray(new EsgWriter[0]), m.readers, m.version + 1);
        for (EsgReader r : m.readers) {
            r.removeGates(drop);
        }
    }

    /** The current membership (any thread). */
    public GateMembership membershipSnapshot() {
        Membership m = membership;
        int closed = 0;
        for (EsgWriter w : m.writers) {
            if (w.isClosed()) {
                closed++;
            }
        }
        return new GateMembership(name, m.writers.length - closed, closed, m.readers.length);
    }

    public List<EsgWriter> writers() {
        return List.of(membership.writers);
    }

    public List<EsgReader> readers() {
        return List.of(membership.readers);
    }

    /** Tuples published but not yet read by the slowest reader, summed over writers (for metrics). */
    public long backlogTuples() {
        Membership m = membership;
        long published = 0;
        for (EsgWriter w : m.writers) {
            published += w.tuplesPublished();
        }
        long minRead = Long.MAX_VALUE;
        for (EsgReader r : m.readers) {
            minRead = Math.min(minRead, r.tuplesRead());
        }
        return m.readers.length == 0 ? 0 : Math.max(0, published - minRead);
    }

    /**
     * The furthest progress announced by any writer but {@code self} ({@code Long.MAX_VALUE} for one that
     * has ended), or {@code Long.MIN_VALUE} when there is none: what an idle source split follows so that it
     * no longer holds back this gate's readers.
     */
    public long maxProgressExcept(EsgWriter self) {
        long max = Long.MIN_VALUE;
        for (EsgWriter w : membership.writers) {
            if (w != self) {
                max = Math.max(max, w.heartbeat.getAcquire());
            }
        }
        return max;
    }

    /** The lowest progress announced by any open writer (for metrics). */
    public long minWriterProgress() {
        long min = Long.MAX_VALUE;
        for (EsgWriter w : membership.writers) {
            if (!w.isClosed()) {
                min = Math.min(min, w.heartbeat.getAcquire());
            }
        }
        return min;
    }

    /** Writers (published batches, progress, closed) and each reader's released batches, for diagnosis. */
    public String describe() {
        Membership m = membership;
        StringBuilder b = new StringBuilder("gate ").append(name).append(" v").append(m.version);
        for (EsgWriter w : m.writers) {
            b.append("\n    writer ").append(w.id).append(" side ").append(w.side).append(" published=")
                    .append(w.published.getAcquire()).append(" progress=").append(w.heartbeat.getAcquire())
                    .append(w.isClosed() ? " closed" : "").append(" gates=").append(java.util.Arrays.toString(w.gates()));
        }
        for (EsgReader r : m.readers) {
            b.append("\n    reader ").append(r.id()).append(" read=").append(r.tuplesRead()).append(" wm=").append(r.watermark())
                    .append(' ').append(r.logPosition());
        }
        return b.toString();
    }

    private static void addGateToWriter(EsgWriter w, PaddedSequence g) {
        PaddedSequence[] old = w.gates();
        PaddedSequence[] gs = Arrays.copyOf(old, old.length + 1);
        gs[old.length] = g;
        w.setGates(gs);
    }

    private void publishReaders(Membership m, EsgReader r) {
        EsgReader[] rs = Arrays.copyOf(m.readers, m.readers.length + 1);
        rs[rs.length - 1] = r;
        membership = new Membership(m.writers, rs, m.version + 1);
    }

    @Override
    public String toString() {
        return "ESG[" + name + "]";
    }

    /** An immutable view of who writes and who reads. */
    static final class Membership {
        final EsgWriter[] writers;
        final EsgReader[] readers;
        final long version;

        Membership(EsgWriter[] writers, EsgReader[] readers, long version) {
            this.writers = writers;
            this.readers = readers;
            this.version = version;
        }
    }

    static <K, V> Map<K, V> copyWith(Map<K, V> m, K k, V v) {
        Map<K, V> c = new IdentityHashMap<>(m);
        c.put(k, v);
        return c;
    }
}
