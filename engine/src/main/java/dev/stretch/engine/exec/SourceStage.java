package dev.stretch.engine.exec;

import dev.stretch.api.ReadResult;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.api.TimestampAssigner;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.WaitHook;
import dev.stretch.api.InstanceMetrics;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.plan.SourceNode;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A source: {@code splits} independent sub-streams, each its own writer into every downstream gate and
 * its own lane, read by {@code threads} threads (split {@code s} by thread {@code s mod threads}).
 * Rescaling changes the thread count; a split passes between threads under its busy flag, whose
 * compare-and-set/volatile-set pair orders one holder's work before the next holder's.
 *
 * <p><b>Idleness</b> ({@link WatermarkStrategy#withIdleness}, off by default): a split that has emitted
 * nothing and announced no progress for the timeout turns idle (counted). While idle, each visit of its
 * thread (at least every millisecond) moves its progress up to the furthest progress of the other
 * producers into the gates it writes to, so it holds back no reader; an element it then sends at or
 * below that progress is late. Its next element or progress makes it active again.
 */
final class SourceStage extends Stage {
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000;
    /**
     * Whether a source thread whose splits are all stalled on full rings parks until readers free room
     * ({@code -Dstretch.source.waitForRoom=false}: it polls with a backoff instead, as before; for side-by-side
     * measurements).
     */
    static final boolean WAIT_FOR_ROOM = !"false".equals(System.getProperty("stretch.source.waitForRoom"));
    /** Bounds a park for room, as a guard: a stop or a rescale is noticed within it. */
    private static final long ROOM_WAIT_GUARD_NANOS = 1_000_000;

    private final SourceNode node;
    private final Split[] splits;
    private volatile int threads;
    private final boolean[] threadRunning;

    SourceStage(SourceNode node, JobContext ctx, int parallelism) {
        super(node.name(), "source", ctx);
        this.node = node;
        this.splits = new Split[parallelism];
        this.threads = parallelism;
        this.threadRunning = new boolean[parallelism];
    }

    @Override
    int lanes() {
        return splits.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    void init() throws Exception {
        Source<Object> src = (Source<Object>) node.source();
        for (int i = 0; i < splits.length; i++) {
            splits[i] = new Split(i, src.createReader(i, splits.length), (WatermarkStrategy<Object>) node.watermarks());
            splits[i].outputs = new Outputs(Long.MIN_VALUE, splits[i], splits[i].backoff, splits[i].counters, i);
            // A thread reading several splits must never wait on one split's full ring: the readers can
            // only free it once every split has passed its tuples' timestamps (readiness), and the others
            // are read by this very thread. So a split's output spills outside a full ring, and the split
            // is not read again until the spill has moved in (bounded by one read's output).
            splits[i].outputs.spillWhenFull();
        }
    }

    @Override
    void start() {
        synchronized (threadRunning) {
            for (int t = 0; t < threads; t++) {
                startThread(t);
            }
        }
    }

    private void startThread(int t) {
        threadRunning[t] = true;
        ctx.submit(new SourceThread(t));
    }

    @Override
    int instances() {
        return threads;
    }

    @Override
    boolean isElastic() {
        return true;
    }

    @Override
    int maxInstances() {
        return splits.length;
    }

    @Override
    String instancesOutOfRange(int n) {
        return "source '" + name + "' has " + splits.length + " splits; its threads must be in [1, " + splits.length
                + "], requested " + n;
    }

    @Override
    ReconfigurationResult reconfigure(int n) {
        checkInstances(n);
        long t0 = System.nanoTime();
        int from;
        synchronized (threadRunning) {
            from = threads;
            threads = n;
            for (int t = 0; t < n; t++) {
                if (!threadRunning[t] && hasOpenSplit(t, n)) {
                    startThread(t);
                }
            }
        }
        long d = System.nanoTime() - t0;
        counters.reconfigurations.increment();
        counters.reconfigurationNanos.add(d);
        return new ReconfigurationResult(name, from, n, d, Long.MIN_VALUE, 0);
    }

    private boolean hasOpenSplit(int thread, int n) {
        for (int s = thread; s < splits.length; s += n) {
            if (!splits[s].finished) {
                return true;
            }
        }
        return false;
    }

    @Override
    OperatorMetrics metrics() {
        List<InstanceMetrics> per = new ArrayList<>();
        long in = 0;
        long out = 0;
        long busy = 0;
        long wm = Long.MAX_VALUE;
        long maxTs = Long.MIN_VALUE;
        for (Split s : splits) {
            InstanceMetrics m = s.counters.snapshot();
            per.add(m);
            in += m.tuplesIn();
            out += m.tuplesOut();
            busy += m.busyNanos();
            wm = Math.min(wm, m.watermark());
            maxTs = Math.max(maxTs, s.maxSeenPublished());
        }
        return new OperatorMetrics(name, kind, threads, in, out, busy, counters.late.sum(), counters.bad.sum(),
                counters.deadLetters.sum(), 0, wm, maxTs, counters.reconfigurations.sum(),
                counters.reconfigurationNanos.sum(), per);
    }

    /** One thread of the source: polls its splits in turn. */
    private final class SourceThread implements Runnable {
        private final int index;
        private final Backoff backoff = new Backoff();
        private final Object roomWait = new Object() {
            @Override
            public String toString() {
                return "room in the rings downstream of source '" + name + "'";
            }
        };

        SourceThread(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            boolean exited = false;
            try {
                exited = loop();
            } finally {
                if (!exited) { // failure or cancellation: the job is stopping anyway
                    synchronized (threadRunning) {
                        threadRunning[index] = false;
                    }
                }
            }
        }

        /**
         * Leaves only under the lock that {@link #reconfigure} takes, after checking again that this thread is
         * not needed: otherwise a rescale that raced with the exit (saw this thread still running, so did not
         * start a new one) would leave its splits unread.
         */
        private boolean exitIfUnneeded() {
            synchronized (threadRunning) {
                if (index < threads && hasOpenSplit(index, threads)) {
                    return false;
                }
                threadRunning[index] = false;
                return true;
            }
        }

        /**
         * When every open split of this thread is stalled on output waiting outside full rings: parks until a
         * reader has freed half a ring for one of them, instead of polling (see {@code EsgWriter.awaitRoom}).
         * The park is bounded as a guard only (a stop, or a rescale of this stage, is noticed within it).
         * Returns whether it parked.
         */
        private boolean parkUntilRoom(int n) {
            Thread self = Thread.currentThread();
            boolean registered = false;
            boolean park = true;
            for (int s = index; s < splits.length && park; s += n) {
                Split sp = splits[s];
                if (sp.finished) {
                    continue;
                }
                if (!sp.busy.compareAndSet(false, true)) {
                    park = false; // moving to another thread after a rescale: keep polling
                    break;
                }
                try {
                    if (!sp.outputs.hasSpilled()) {
                        park = false; // not stalled: keep polling
                        break;
                    }
                    registered = true;
                    park = sp.outputs.awaitRoom(self);
                } finally {
                    sp.busy.set(false);
                }
            }
            if (registered && park) {
                LockSupport.parkNanos(roomWait, ROOM_WAIT_GUARD_NANOS);
            }
            if (registered) {
                for (int s = index; s < splits.length; s += n) {
                    Split sp = splits[s];
                    if (!sp.finished && sp.busy.compareAndSet(false, true)) {
                        try {
                            sp.outputs.stopAwaiting();
                        } finally {
                            sp.busy.set(false);
                        }
                    }
                }
            }
            return registered && park;
        }

        private boolean loop() {
            while (true) {
                ctx.checkRunning();
                int n = threads;
                if (index >= n) {
                    if (exitIfUnneeded()) {
                        return true;
                    }
                    continue;
                }
                boolean open = false;
                boolean worked = false;
                long now = System.nanoTime();
                long wake = Long.MAX_VALUE;
                for (int s = index; s < splits.length; s += n) {
                    Split sp = splits[s];
                    if (sp.finished) {
                        continue;
                    }
                    open = true;
                    if (!sp.busy.compareAndSet(false, true)) {
                        continue; // its previous thread is finishing a read after a rescale
                    }
                    try {
                        worked |= sp.service(now);
                        if (!sp.ended && sp.nextPollNanos - now > 0) {
                            wake = Math.min(wake, sp.nextPollNanos - now);
                        }
                    } finally {
                        sp.busy.set(false);
                    }
                }
                if (!open) {
                    if (exitIfUnneeded()) {
                        return true;
                    }
                    continue; // rescaled meanwhile: our splits changed
                }
                if (worked) {
                    backoff.reset();
                } else if (wake != Long.MAX_VALUE) {
                    LockSupport.parkNanos(Math.min(wake, 1_000_000));
                } else if (WAIT_FOR_ROOM && parkUntilRoom(n)) {
                    backoff.reset();
                } else {
                    backoff.idle();
                }
            }
        }
    }

    /** One split: its reader, event-time handling and writers. */
    private final class Split implements SourceOutput<Object>, WaitHook {
        final int index;
        final SplitReader<Object> reader;
        final TimestampAssigner<Object> assigner;
        final long outOfOrderness;
        final boolean monotonous;
        final AtomicBoolean busy = new AtomicBoolean();
        /** Idleness timeout in nanoseconds; 0: off. */
        final long idleNanos;
        /** When the split last emitted an element or raised its progress itself. */
        long lastActivityNanos = System.nanoTime();
        boolean idle;
        /** The furthest this split's progress was moved while idle: an element at or below it is late. */
        long idleProgress = Long.MIN_VALUE;
        /** Ended and everything it emitted is in the downstream rings: no thread needs to visit it again. */
        volatile boolean finished;
        /** When the last read left output waiting outside a full ring (counted as backpressure once it is in). */
        long stalledSinceNanos;
        final Backoff backoff = new Backoff();
        final InstanceCounters counters;
        Outputs outputs;
        volatile boolean ended;
        long nextPollNanos = System.nanoTime();
        long lastFlushNanos = System.nanoTime();
        /** Nothing emitted from now on is at or below this. */
        long progress = Long.MIN_VALUE;
        long lastTs = Long.MIN_VALUE;
        long maxSeen = Long.MIN_VALUE;
        private volatile long maxSeenPublished = Long.MIN_VALUE;
        long arrivals;
        final PriorityQueue<Held> held;

        Split(int index, SplitReader<Object> reader, WatermarkStrategy<Object> wm) {
            this.index = index;
            this.reader = reader;
            this.assigner = wm.timestampAssigner();
            this.outOfOrderness = wm.outOfOrdernessMillis();
            this.monotonous = wm.isMonotonous();
            this.idleNanos = wm.idleness() == null ? 0 : Math.max(1, wm.idleness().toNanos());
            this.counters = new InstanceCounters(index);
            this.held = monotonous ? null : new PriorityQueue<>();
        }

        long maxSeenPublished() {
            return maxSeenPublished;
        }

        @Override
        public void onWait() {
            ctx.checkRunning();
        }

        /**
         * One visit by its thread: first moves in what waits outside full downstream rings; reads only when
         * nothing waits (so what waits is at most one read's output), and when its next poll is due.
         * Returns whether anything happened.
         */
        boolean service(long now) {
            boolean drained = false;
            if (outputs.hasSpilled()) {
                boolean in = outputs.drainSpilled();
                counters.blocked += now - stalledSinceNanos; // backpressure: waiting for room downstream
                stalledSinceNanos = now;
                counters.publish();
                if (!in) {
                    return false; // still no room downstream
                }
                drained = true;
            }
            boolean worked = drained;
            if (!ended && nextPollNanos - now <= 0) {
                worked |= poll();
                if (outputs.hasSpilled()) {
                    stalledSinceNanos = System.nanoTime();
                    if (!ended) {
                        // Stalled until the spill moves in: publish what the other writers hold, with this
                        // split's progress, since their consumers may be what the full ring waits for (in SN
                        // mode, a starved sibling instance; with fan-out, the other side of a join).
                        outputs.flush(progress);
                    }
                }
            }
            if (idleNanos > 0 && !ended && !outputs.hasSpilled()) {
                followWhileIdle(now);
            }
            if (ended && !outputs.hasSpilled()) {
                finished = true;
            }
            return worked;
        }

        /**
         * Marks the split idle once it has been silent for the timeout; while idle, raises its progress to
         * the furthest the other producers into its gates have announced, so that it holds back none of
         * their readers. Follows an ended producer only to {@code Long.MAX_VALUE - 1}: the split stays open.
         */
        private void followWhileIdle(long now) {
            if (!idle) {
                if (now - lastActivityNanos < idleNanos) {
                    return;
                }
                idle = true;
                counters.idleTransitions++;
                counters.publish();
            }
            long target = Math.min(outputs.othersProgress(), Long.MAX_VALUE - 1);
            if (target > progress) {
                if (held != null) {
                    release(target);
                } else {
                    progress = target;
                }
                idleProgress = progress;
                outputs.flush(progress);
                counters.watermark = progress;
                counters.publish();
            }
        }

        /** Reads once; returns whether anything happened. */
        boolean poll() {
            long t0 = System.nanoTime();
            long before = counters.in;
            long progressBefore = progress;
            ReadResult r;
            try {
                r = reader.read(this);
            } catch (RuntimeException e) {
                counters.publish(); // what this read counted before it failed (a job summary reports it)
                if (e instanceof TaskStopped || e instanceof dev.stretch.api.JobFailedException) {
                    throw e;
                }
                throw new dev.stretch.api.JobFailedException(name, "source '" + name + "' split " + index
                        + " failed to read: " + e, e);
            } catch (Exception e) {
                counters.publish();
                throw new dev.stretch.api.JobFailedException(name, "source '" + name + "' split " + index
                        + " failed to read: " + e, e);
            }
            long now = System.nanoTime();
            if (counters.in != before || progress != progressBefore) {
                lastActivityNanos = now; // an element, or progress announced by the reader: not idle
                idle = false;
            }
            if (r.isEnd()) {
                end();
            } else if (r.isIdle() || now - lastFlushNanos > FLUSH_INTERVAL_NANOS) {
                outputs.flush(progress);
                lastFlushNanos = now;
                if (r.isIdle()) {
                    nextPollNanos = now + r.idleNanos();
                }
            } else {
                outputs.progress(progress);
            }
            counters.watermark = progress;
            maxSeenPublished = Math.max(maxSeen, lastTs);
            counters.busy += System.nanoTime() - t0; // never waits inside a read: its output spills instead
            counters.publish();
            return counters.in != before || r.isEnd();
        }

        private void end() {
            if (held != null) {
                release(Long.MAX_VALUE);
            }
            progress = Long.MAX_VALUE;
            counters.watermark = Long.MAX_VALUE;
            outputs.close();
            try {
                reader.close();
            } catch (Exception e) {
                throw new dev.stretch.api.JobFailedException(name, "closing source '" + name + "' split " + index
                        + " failed: " + e, e);
            }
            ended = true;
        }

        @Override
        public void collect(Object element, long timestamp) {
            counters.in++;
            long t = timestamp;
            if (assigner != null) {
                try {
                    t = assigner.extractTimestamp(element, timestamp);
                } catch (RuntimeException e) {
                    ctx.badRecord(SourceStage.this.counters, element, timestamp, "timestamp assigner threw", e);
                    return;
                }
            }
            if (t == Long.MIN_VALUE || t == Long.MAX_VALUE) {
                ctx.badRecord(SourceStage.this.counters, element, t, "record has no timestamp", null);
                return;
            }
            if (monotonous) {
                if (t <= progress) {
                    if (t < lastTs) {
                        ctx.badRecord(SourceStage.this.counters, element, t, "timestamp " + t
                                + " is behind its split's previous one (" + lastTs + ")", null);
                    } else if (t <= idleProgress) { // resumed after idleness behind where the others got
                        ctx.late(SourceStage.this.counters, element, t, progress);
                    } else {
                        ctx.badRecord(SourceStage.this.counters, element, t, "timestamp " + t
                                + " is at or below the progress its split announced (" + progress
                                + "): nothing at or below it may follow", null);
                    }
                    return;
                }
                lastTs = t;
                progress = t - 1;
                outputs.head.emit(t, index, element);
                return;
            }
            if (t <= progress) {
                ctx.late(SourceStage.this.counters, element, t, progress);
                return;
            }
            held.add(new Held(t, arrivals++, element));
            if (t > maxSeen) {
                maxSeen = t;
                long wm = t - outOfOrderness - 1;
                if (wm > progress) {
                    release(wm);
                }
            }
        }

        /**
         * The batch path: for a monotonous source with timestamps given by the reader, the longest prefix
         * that {@link #collect(Object, long)} would accept without comment (each timestamp above the
         * split's progress, none missing) goes to the chain as one batch; an element that needs a
         * decision (late, out of order, no timestamp) goes through {@code collect} alone, then the batch
         * resumes. Anything else (an assigner, bounded disorder) takes the per-element path.
         */
        @Override
        public void collectBatch(Object[] elements, long[] timestamps, int count) {
            if (!monotonous || assigner != null) {
                SourceOutput.super.collectBatch(elements, timestamps, count);
                return;
            }
            int i = 0;
            while (i < count) {
                long p = progress;
                int j = i;
                while (j < count) {
                    long t = timestamps[j];
                    if (t <= p || t == Long.MAX_VALUE) { // Long.MIN_VALUE is at or below any progress
                        break;
                    }
                    p = t - 1;
                    j++;
                }
                if (j > i) {
                    counters.in += j - i;
                    lastTs = timestamps[j - 1];
                    progress = p;
                    outputs.head.emitBatch(timestamps, elements, i, j, index);
                }
                if (j < count) {
                    collect(elements[j], timestamps[j]);
                    j++;
                }
                i = j;
            }
        }

        @Override
        public void collect(Object element) {
            collect(element, Long.MIN_VALUE);
        }

        @Override
        public void markProgress(long timestamp) {
            if (timestamp <= progress) {
                return;
            }
            if (held != null) {
                release(timestamp);
            } else {
                progress = timestamp;
            }
        }

        @Override
        public void malformed(String rawRecord, String reason) {
            ctx.malformed(SourceStage.this.counters, rawRecord, reason);
        }

        /** Emits the held elements at or below {@code wm}, in (timestamp, arrival) order. */
        private void release(long wm) {
            Held h;
            while ((h = held.peek()) != null && h.ts <= wm) {
                held.poll();
                outputs.head.emit(h.ts, index, h.element);
                lastTs = h.ts;
            }
            progress = wm == Long.MAX_VALUE ? progress : wm;
        }
    }

    /** An element held back for reordering. */
    private record Held(long ts, long arrival, Object element) implements Comparable<Held> {
        @Override
        public int compareTo(Held o) {
            int c = Long.compare(ts, o.ts);
            return c != 0 ? c : Long.compare(arrival, o.arrival);
        }
    }
}
