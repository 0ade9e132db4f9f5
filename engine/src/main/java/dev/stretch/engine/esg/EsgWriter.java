package dev.stretch.engine.esg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One writer of an {@link ElasticScaleGate}: a single-producer, multi-consumer ring of
 * {@link TupleBatch}es. Exactly one thread at a time writes through it (a source split or an operator
 * instance); every reader of the gate reads every batch.
 *
 * <h2>Memory ordering</h2>
 * <pre>
 * writer                                   reader r
 * ------                                   --------
 * wait until next - min(gate_r) &lt; cap      hb  = heartbeat.getAcquire()      (1)
 *   (gate_r.getAcquire)              (A)   pub = published.getAcquire()      (2)
 * fill ring[next &amp; mask]                   read ring[seq &amp; mask] for seq &lt; pub
 * published.setRelease(next + 1)     (B)   ... done with batch seq:
 * heartbeat.setRelease(h)            (C)   gate_r.setRelease(seq + 1)        (D)
 * </pre>
 * <ul>
 *   <li>(B)→(2): a reader that sees {@code pub} sees the full content of every batch below it, because
 *       the fill happens before the release (B) and the reader reads the slot after its acquire (2).</li>
 *   <li>(D)→(A): the writer refills a slot only after seeing every reader's gate past it; the reader's
 *       reads of the slot happen before its release (D), the writer's refill after its acquire (A), so
 *       a reader never sees a half-refilled batch.</li>
 *   <li>(C) then (1),(2): the writer raises the heartbeat to {@code h} only after publishing every tuple
 *       with a timestamp {@code <= h}. The reader loads the heartbeat <em>before</em> the published
 *       count, so if it sees {@code h} it also sees all those batches. Reading the two in the other
 *       order could pair a stale count with a fresh heartbeat and release a tuple too early.</li>
 *   <li>(A) takes the minimum over the reader list it loaded, and accepts it only if the list is still the
 *       same afterwards, so a reader that joins at a reconfiguration while the writer looks is never
 *       overrun; the argument is beside {@code minGate}.</li>
 * </ul>
 * Padding: the published count, the heartbeat and each reader's gate are {@link PaddedSequence}s; the
 * writer-local fields below are touched only by the writing thread.
 */
public final class EsgWriter {
    private static final VarHandle TUPLES;
    private static final VarHandle GATES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TUPLES = l.findVarHandle(EsgWriter.class, "tuplesPublished", long.class);
            GATES = l.findVarHandle(EsgWriter.class, "gates", PaddedSequence[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ElasticScaleGate gate;
    final int id;
    final int side;
    final TupleBatch[] ring;
    final int mask;
    final PaddedSequence published = new PaddedSequence(0);
    final PaddedSequence heartbeat;
    private volatile boolean closed;
    /**
     * A producer thread parked until readers free room for what this writer holds outside its ring
     * ({@link #awaitRoom}); {@code null}: none. {@code wakeAt}: the released count that frees enough.
     */
    private volatile Thread waiter;
    private long wakeAt;
    /** One released-count per reader; replaced (copy on write) under the gate's membership lock. */
    @SuppressWarnings("unused") // accessed through GATES
    private volatile PaddedSequence[] gates = new PaddedSequence[0];
    @SuppressWarnings("unused") // accessed through TUPLES (opaque), for metrics
    private long tuplesPublished;

    /**
     * Test hook: runs in the writer's thread after it has loaded the reader list to compute its slowest
     * reader and before it reads their positions (set before the writer starts; only the slow path pays
     * for the null check).
     */
    Runnable gatesLoadedHook;

    // writer-local
    private long next;
    private long cachedMinGate;
    private TupleBatch current;
    /**
     * What the next tuple must sort strictly after: the last tuple written, or the announced progress
     * {@code p} as {@code (p, Long.MAX_VALUE)}, whichever is higher. Handed to each batch as it is claimed.
     */
    private long floorTs;
    private long floorOrder = Long.MAX_VALUE;
    private long tuplesLocal;
    /**
     * Batches filled while the ring was full, oldest first, each with the progress it was published with
     * ({@link TupleBatch#spillProgress}); only a writer claimed through {@link #claimOrSpill} has any.
     */
    private java.util.ArrayDeque<TupleBatch> spilled;
    private java.util.ArrayDeque<TupleBatch> spare;
    private boolean currentSpilled;
    private boolean closeRequested;

    EsgWriter(ElasticScaleGate gate, int id, int side, int ringBatches, int batchCapacity, long startWatermark) {
        if (Integer.bitCount(ringBatches) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two: " + ringBatches);
        }
        this.gate = gate;
        this.id = id;
        this.side = side;
        this.ring = new TupleBatch[ringBatches];
        for (int i = 0; i < ringBatches; i++) {
            ring[i] = new TupleBatch(batchCapacity);
            ring[i].owner = this;
        }
        this.mask = ringBatches - 1;
        this.heartbeat = new PaddedSequence(startWatermark);
        this.floorTs = startWatermark;
    }

    public int id() {
        return id;
    }

    /** Which input of the consuming operator this writer feeds (0, or 1 for the right side of a join). */
    public int side() {
        return side;
    }

    public ElasticScaleGate gate() {
        return gate;
    }

    /**
     * The batch to fill next, waiting (with {@code hook} called every round) until every reader has
     * released the slot. Returns the same open batch until it is published.
     */
    public TupleBatch claim(WaitHook hook, Backoff backoff) {
        TupleBatch b = current;
        if (b != null) {
            return b;
        }
        long seq = next;
        if (seq - cachedMinGate >= ring.length) {
            cachedMinGate = minGate(seq);
            if (seq - cachedMinGate >= ring.length) {
                long t0 = System.nanoTime();
                backoff.reset();
                do {
                    hook.onWait();
                    backoff.idle();
                    cachedMinGate = minGate(seq);
                } while (seq - cachedMinGate >= ring.length);
                hook.waited(System.nanoTime() - t0);
            }
        }
        b = ring[(int) seq & mask];
        b.reset();
        b.startAfter(floorTs, floorOrder);
        current = b;
        return b;
    }

    /**
     * The batch to fill next, never waiting: when the ring is full (or earlier batches still wait outside
     * it) the batch comes from outside the ring, and {@link #publish} queues it behind the others instead
     * of publishing it. {@link #drainSpilled} moves queued batches into the ring as readers free slots,
     * in order, each with the progress it was published with, so readers see exactly the sequence they
     * would have seen had the writer waited. For a producer that must not wait: a source thread that reads
     * several splits, whose other splits are what the readers need to free this ring. The producer bounds
     * the queue by not producing into a writer that has one ({@link #hasSpilled}).
     */
    public TupleBatch claimOrSpill() {
        TupleBatch b = current;
        if (b != null) {
            return b;
        }
        if (drainSpilled() && (next - cachedMinGate < ring.length
                || next - (cachedMinGate = minGate(next)) < ring.length)) {
            b = ring[(int) next & mask];
        } else {
            if (spilled == null) {
                spilled = new java.util.ArrayDeque<>();
                spare = new java.util.ArrayDeque<>();
            }
            b = spare.poll();
            if (b == null) {
                b = new TupleBatch(ring[0].capacity());
                b.owner = this;
            }
            currentSpilled = true;
        }
        b.reset();
        b.startAfter(floorTs, floorOrder);
        current = b;
        return b;
    }

    /** Whether batches wait outside the ring (writer thread only). */
    public boolean hasSpilled() {
        return spilled != null && (!spilled.isEmpty() || closeRequested);
    }

    /**
     * Moves waiting batches into the ring while it has room, publishing each with its progress; completes
     * a requested {@link #close} once none is left. Returns whether none is left (writer thread only).
     *
     * <p>A queued batch takes the place of the ring's batch in its slot (the displaced one becomes a
     * spare). The slot is free, since every reader's gate is past it (acquire, as in {@link #claim}), and
     * the new reference is written before the published count's release, which is what a reader acquires
     * before it loads the slot.
     */
    public boolean drainSpilled() {
        java.util.ArrayDeque<TupleBatch> q = spilled;
        if (q == null) {
            return true;
        }
        TupleBatch s;
        while ((s = q.peek()) != null) {
            if (next - cachedMinGate >= ring.length && next - (cachedMinGate = minGate(next)) >= ring.length) {
                return false;
            }
            q.poll();
            int slot = (int) next & mask;
            spare.add(ring[slot]);
            ring[slot] = s;
            tuplesLocal += s.size;
            TUPLES.setOpaque(this, tuplesLocal);
            published.setRelease(++next);
            if (s.spillProgress > heartbeat.getPlain()) {
                heartbeat.setRelease(s.spillProgress);
            }
        }
        if (closeRequested) {
            closeRequested = false;
            closeNow();
        }
        return true;
    }

    /*
     * Waiting for room without polling (a source thread whose every split has output waiting outside a full
     * ring). The producer registers itself (waiter, a volatile store) with the released count that frees half
     * the ring (wakeAt, written before it), then fences and reads the readers' gates once more; it parks only if
     * the slowest is still short of wakeAt. A reader, after each release (its gate store), fences and loads the
     * waiter, and unparks it once its own count has reached wakeAt. Store-fence-load on both sides: either the
     * producer's second look sees the release, or the reader sees the registration, so the release that brings
     * the slowest reader to wakeAt never goes unnoticed. A reader that reaches wakeAt before the slowest does
     * wakes the producer early; it looks again and parks again. Half a ring: the producer wakes for a burst of
     * work rather than once per batch, and on a machine with more busy threads than cores it does not take the
     * core from the readers it waits for in the meantime.
     */

    /**
     * Registers {@code t} to be unparked once readers have freed half the ring for the batches waiting outside
     * it (writer thread). Returns {@code false}, registering nothing, when nothing waits outside or that much is
     * free already.
     */
    public boolean awaitRoom(Thread t) {
        if (spilled == null || spilled.isEmpty()) {
            return false;
        }
        long at = next - ring.length + Math.max(1, ring.length / 2);
        wakeAt = at;
        waiter = t;
        VarHandle.fullFence();
        if ((cachedMinGate = minGate(next)) >= at) {
            waiter = null;
            return false;
        }
        return true;
    }

    /** Ends a registration of {@link #awaitRoom} (writer thread). */
    public void stopAwaiting() {
        waiter = null;
    }

    /** Wakes a producer waiting for room whatever the counts: a reader left, and with it maybe the slowest. */
    void wakeWaiter() {
        VarHandle.fullFence(); // the new gate array before the waiter load (see awaitRoom)
        Thread t = waiter;
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** Reader side of {@link #awaitRoom}: called after a reader's gate reached {@code released}. */
    void roomFreed(long released) {
        VarHandle.fullFence(); // the gate store before the waiter load (see awaitRoom)
        Thread t = waiter;
        if (t != null && released >= wakeAt) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        }
    }

    /** The open batch, or {@code null} when none is claimed. */
    public TupleBatch current() {
        return current;
    }

    /**
     * Publishes the open batch (if it holds anything) with the writer's progress: no tuple written
     * later will have a timestamp {@code <= watermarkAfter}.
     */
    public void publish(long watermarkAfter) {
        TupleBatch b = current;
        if (b == null || b.size == 0) {
            heartbeat(watermarkAfter);
            return;
        }
        raiseFloor(b.lastTs(), b.lastOrder()); // the batch checked its own order as it filled
        raiseFloor(watermarkAfter, Long.MAX_VALUE);
        current = null;
        if (currentSpilled) {
            currentSpilled = false;
            b.spillProgress = watermarkAfter;
            spilled.add(b);
            return;
        }
        tuplesLocal += b.size;
        TUPLES.setOpaque(this, tuplesLocal);
        published.setRelease(++next);
        if (watermarkAfter > heartbeat.getPlain()) {
            heartbeat.setRelease(watermarkAfter);
        }
    }

    /**
     * Raises this writer's progress without data. Only valid once every tuple with a timestamp
     * {@code <= h} has been published: refused ({@link IllegalStateException}) while the open batch
     * still holds one.
     */
    public void heartbeat(long h) {
        TupleBatch b = current;
        if (b != null && b.size > 0 && b.lastTs() <= h) {
            throw new IllegalStateException("writer " + this + " announces progress " + h
                    + " while it still holds an unpublished tuple at " + b.lastTs());
        }
        raiseFloor(h, Long.MAX_VALUE);
        if (b != null && b.size == 0) {
            b.startAfter(floorTs, floorOrder);
        }
        if (spilled != null && !spilled.isEmpty()) { // announced once the batches before it are in
            TupleBatch last = spilled.peekLast();
            last.spillProgress = Math.max(last.spillProgress, h);
            return;
        }
        if (h > heartbeat.getPlain()) {
            heartbeat.setRelease(h);
        }
    }

    /** The writer's progress as last announced. */
    public long progress() {
        return heartbeat.getPlain();
    }

    /** Ends this writer: after its last batch, it no longer holds back any reader. */
    public void close() {
        if (current != null && current.size > 0) {
            publish(heartbeat.getPlain());
        }
        current = null;
        currentSpilled = false;
        if (spilled != null && !spilled.isEmpty()) {
            closeRequested = true; // closes once drained: see drainSpilled
            return;
        }
        closeNow();
    }

    private void closeNow() {
        closed = true;
        heartbeat.setRelease(Long.MAX_VALUE);
        gate.pruneIfDrained(this); // nothing unread (or no reader at all): leave now; else the last reader removes it
    }

    public boolean isClosed() {
        return closed;
    }

    /** Tuples published so far (any thread; for metrics). */
    public long tuplesPublished() {
        return (long) TUPLES.getOpaque(this);
    }

    /** Batches published so far (any thread). */
    public long batchesPublished() {
        return published.getAcquire();
    }

    /** Batches published but not yet released by the slowest reader (any thread; for metrics). */
    public long backlogBatches() {
        long pub = published.getAcquire();
        PaddedSequence[] g = gates();
        long min = pub;
        for (PaddedSequence s : g) {
            min = Math.min(min, s.getAcquire());
        }
        return pub - min;
    }

    PaddedSequence[] gates() {
        return (PaddedSequence[]) GATES.getVolatile(this);
    }

    void setGates(PaddedSequence[] g) {
        GATES.setVolatile(this, g);
    }

    /*
     * The slowest reader, safe against readers added meanwhile.
     *
     * A reader is added (ElasticScaleGate.addReaderAt) at the position of a template reader T, whose thread
     * is paused for the whole change: the new reader's gate starts at R = T's released count, and the new
     * gate array (containing it) is published with a volatile store (S). The writer loads the array (L1),
     * reads the gates in it (acquire), loads the array again (L2) and accepts the minimum only if L2 still
     * returns the array L1 did; otherwise it starts over with the newer one.
     *
     * Why an accepted minimum m never lets the writer refill a slot the new reader N still needs (N needs
     * the batches from R on; the writer fills batch s only while s - m < ring, overwriting batch s - ring,
     * so it suffices that m <= R):
     *  - If T was in the array: m <= v, the value read from T's gate. If v <= R, done. If v > R, T released
     *    past R, which it did only after resuming, hence after S (the epoch barrier orders S before T's
     *    resumption: completeSwitch publishes the change before it sets `completed`, which T reads). S
     *    happens-before T's setRelease(v), which the writer's getAcquire of v synchronizes with, which is
     *    before L2 in program order: L2 sees the array of S or a later one (every change makes a new
     *    array), so it differs from L1 and the minimum is not accepted.
     *  - If T was not in the array, T itself joined after it, at a template T' position R_T <= R (a gate
     *    only grows); by the same argument applied to T, m <= R_T <= R. The chain ends at a reader that was
     *    in the array, since readers without a template (addReader) join before any writer publishes.
     * The cached minimum (cachedMinGate) stays safe for the same reason: N's R is at least what T's gate
     * held when the minimum was taken, and that was at least the minimum.
     * A removed reader only makes an accepted minimum conservative.
     */
    private long minGate(long seq) {
        PaddedSequence[] g = gates(); // L1
        for (;;) {
            Runnable hook = gatesLoadedHook;
            if (hook != null) {
                hook.run();
            }
            long min = seq;
            for (PaddedSequence s : g) {
                long v = s.getAcquire();
                if (v < min) {
                    min = v;
                }
            }
            PaddedSequence[] again = gates(); // L2
            if (again == g) {
                return min;
            }
            g = again; // a reader joined or left while we looked: look again
        }
    }

    private void raiseFloor(long ts, long order) {
        if (ts > floorTs || (ts == floorTs && order > floorOrder)) {
            floorTs = ts;
            floorOrder = order;
        }
    }

    @Override
    public String toString() {
        return gate.name() + "/w" + id;
    }
}
