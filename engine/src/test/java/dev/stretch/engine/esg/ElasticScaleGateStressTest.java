package dev.stretch.engine.esg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many writers and readers on one gate, with writers joining at agreed timestamps, writers ending
 * early, readers joining at another reader's position and readers leaving. Every reader must see
 * exactly the global (timestamp, order) sequence from where it started to where it stopped: nothing
 * lost, duplicated or out of order; and once all is read, no ended writer is left in the gate (readers
 * remove drained writers while others still read and join).
 */
class ElasticScaleGateStressTest {

    static Stream<Long> seeds() {
        return LongStream.range(1, 41).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldGiveEveryReaderTheSameSortedSequenceWhenMembersComeAndGo(long seed) throws Exception {
        new Scenario(seed).run();
    }

    /**
     * One thread feeds every writer and never waits (as a source thread reading several splits does):
     * batches that do not fit a full ring wait outside it and move in as readers free slots. Readers must
     * still see exactly the global sequence.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldKeepTheSequenceWhenOneThreadFeedsManyWritersAndSpillsWhenRingsAreFull(long seed) throws Exception {
        Scenario s = new Scenario(seed, true);
        s.run();
        if (s.maxTuplesPerWriter > s.ringTuples) {
            assertThat(s.spills).as("seed %d: the first round overfills a ring", seed).isPositive();
        }
        assertThat(s.roomGuardTimeouts.get()).as("seed %d: parks for room that no reader ended (of %d)", seed,
                s.roomParks.get()).isZero();
    }

    /**
     * The shared merge log under pressure: 2..8 readers on a log of 1..8 entries (so proposers constantly
     * wait for followers to free slots), readers that stop part-way through runs ({@code unread}) and read up
     * to limits (as instances do at a reconfiguration), joining and leaving. Every reader must still see
     * exactly the global sequence, and its watermark must never pass a tuple it has not read.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldGiveEveryReaderTheSameSequenceThroughATinySharedMergeLog(long seed) throws Exception {
        Scenario s = new Scenario(seed, false, 1 << new SplittableRandom(seed ^ 0x5eed).nextInt(0, 4), true);
        s.run();
        assertThat(s.followedRuns()).as("seed %d: readers took runs from the log", seed).isPositive();
    }

    /** The same scenarios with each reader merging for itself (no log), as before the log existed. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void shouldGiveEveryReaderTheSameSequenceWithoutASharedMergeLog(long seed) throws Exception {
        new Scenario(seed, false, 0, true).run();
    }

    @Test
    void shouldReleaseTuplesOfAnIdleWriterOnlyAfterItsHeartbeat() {
        ElasticScaleGate g = new ElasticScaleGate("hb", 4, 8);
        EsgWriter busy = g.addWriter(0, Long.MIN_VALUE);
        EsgWriter idle = g.addWriter(0, Long.MIN_VALUE);
        EsgReader r = g.addReader();
        Backoff bo = new Backoff();
        TupleBatch b = busy.claim(WaitHook.NONE, bo);
        b.add(10, TupleOrder.of(0, 0, 0), "a");
        b.add(20, TupleOrder.of(0, 0, 0), "b");
        busy.publish(20);
        Run run = new Run();

        assertThat(r.nextRun(run, Long.MAX_VALUE)).as("idle writer has announced nothing").isFalse();
        idle.heartbeat(15);
        assertThat(r.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(run.size()).as("only the tuple at or below the idle writer's heartbeat").isEqualTo(1);
        assertThat(run.batch.ts[run.from]).isEqualTo(10);
        assertThat(r.nextRun(run, Long.MAX_VALUE)).isFalse();
        assertThat(r.watermark()).isEqualTo(15);
        idle.close();
        assertThat(r.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(run.batch.ts[run.from]).isEqualTo(20);
    }

    @Test
    void shouldHoldBackAWriterThatRunsAheadOfTheSlowestReaderByItsRing() {
        ElasticScaleGate g = new ElasticScaleGate("bp", 2, 2);
        EsgWriter w = g.addWriter(0, Long.MIN_VALUE);
        g.addReader();
        Backoff bo = new Backoff();
        for (int i = 0; i < 2; i++) {
            TupleBatch b = w.claim(WaitHook.NONE, bo);
            b.add(i, 0, i);
            w.publish(i);
        }
        AtomicReference<Boolean> blocked = new AtomicReference<>(false);
        RuntimeException stop = new RuntimeException("blocked as expected");
        try {
            w.claim(() -> {
                blocked.set(true);
                throw stop;
            }, bo);
        } catch (RuntimeException e) {
            assertThat(e).isSameAs(stop);
        }
        assertThat(blocked.get()).as("third batch must wait for the reader").isTrue();
    }

    /** One randomized run. */
    static final class Scenario {
        final long seed;
        final SplittableRandom rnd;
        final ElasticScaleGate gate;
        final List<long[]> writerTuples = new ArrayList<>(); // pairs ts, order flattened
        final long[] joinTs;
        final CountDownLatch[] joined;
        final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<ReaderLog> logs = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();
        final int batchCap;
        /** One thread feeds all writers through {@link EsgWriter#claimOrSpill}; no writer joins later. */
        final boolean spillMode;
        final int ringTuples;
        final CountDownLatch firstRound = new CountDownLatch(1);
        volatile int maxTuplesPerWriter;
        volatile long spills;
        /** Readers stop part-way through runs and read up to limits; more readers. */
        final boolean limits;
        final java.util.concurrent.atomic.AtomicLong runsHandedOut = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong runsMerged = new java.util.concurrent.atomic.AtomicLong();

        Scenario(long seed) {
            this(seed, false);
        }

        Scenario(long seed, boolean spillMode) {
            this(seed, spillMode, -1, false);
        }

        /** {@code logCapacity}: entries of the shared merge log, 0 for none, -1 for the gate's default. */
        Scenario(long seed, boolean spillMode, int logCapacity, boolean limits) {
            this.seed = seed;
            this.spillMode = spillMode;
            this.limits = limits;
            this.rnd = new SplittableRandom(seed);
            int ring = 1 << rnd.nextInt(1, 4);
            this.batchCap = rnd.nextInt(1, 48);
            this.ringTuples = ring * batchCap;
            this.gate = logCapacity < 0 ? new ElasticScaleGate("stress-" + seed, ring, batchCap)
                    : new ElasticScaleGate("stress-" + seed, ring, batchCap, logCapacity);
            int joins = spillMode ? 0 : rnd.nextInt(0, 4);
            this.joinTs = new long[joins];
            long t = 0;
            for (int i = 0; i < joins; i++) {
                t += rnd.nextInt(50, 400);
                joinTs[i] = t;
            }
            this.joined = new CountDownLatch[joins];
            for (int i = 0; i < joins; i++) {
                joined[i] = new CountDownLatch(1);
            }
        }

        long[] makeTuples(int lane, long afterTs) {
            int n = rnd.nextInt(0, 3000);
            long[] out = new long[2 * n];
            long ts = afterTs + 1 + rnd.nextInt(0, 3);
            long seq = 0;
            for (int i = 0; i < n; i++) {
                out[2 * i] = ts;
                out[2 * i + 1] = TupleOrder.of(0, lane, seq);
                if (rnd.nextInt(10) < 3) {
                    seq++;
                } else {
                    ts += 1 + rnd.nextInt(4);
                    seq = 0;
                }
            }
            return out;
        }

        void run() throws Exception {
            int writers = rnd.nextInt(1, 6);
            int readers = limits ? rnd.nextInt(2, 9) : rnd.nextInt(1, 5);
            List<EsgWriter> ws = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                ws.add(gate.addWriter(0, Long.MIN_VALUE));
                writerTuples.add(makeTuples(i, -1));
            }
            List<EsgReader> rs = new ArrayList<>();
            for (int i = 0; i < readers; i++) {
                rs.add(gate.addReader());
            }
            long[][] joinerTuples = new long[joinTs.length][];
            for (int k = 0; k < joinTs.length; k++) {
                joinerTuples[k] = makeTuples(writers + k, joinTs[k]);
                writerTuples.add(joinerTuples[k]);
            }
            long[] expected = globalOrder();
            this.expected = expected;
            if (spillMode) {
                startSpillingDriver(ws, rnd.split());
            } else {
                firstRound.countDown();
                for (int i = 0; i < writers; i++) {
                    startWriter(ws.get(i), writerTuples.get(i), rnd.split());
                }
            }
            for (EsgReader r : rs) {
                startReader(r, 0, rnd.split());
            }
            Thread controller = new Thread(() -> {
                for (int k = 0; k < joinTs.length; k++) {
                    EsgWriter w = gate.addWriter(0, joinTs[k]);
                    startWriter(w, joinerTuples[k], rnd.split());
                    joined[k].countDown();
                }
            }, "controller-" + seed);
            synchronized (threads) {
                threads.add(controller);
            }
            controller.start();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                Thread next;
                synchronized (threads) {
                    next = threads.stream().filter(Thread::isAlive).findFirst().orElse(null);
                }
                if (next == null) {
                    break;
                }
                next.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("seed " + seed + ": threads did not finish: " + threads);
                }
            }
            assertThat(errors).as("seed %d", seed).isEmpty();
            assertThat(logs).isNotEmpty();
            for (ReaderLog log : logs) {
                long[] got = log.seq.toArray();
                long[] want = Arrays.copyOfRange(expected, 2 * log.startIndex,
                        log.completed ? expected.length : 2 * log.startIndex + got.length);
                assertThat(got.length).as("seed %d reader %s length", seed, log.name).isEqualTo(want.length);
                assertThat(got).as("seed %d reader %s", seed, log.name).isEqualTo(want);
            }
            // every writer has ended and every remaining reader has drained it: none may stay a member
            assertThat(gate.writers()).as("seed %d: writers left in the gate", seed).isEmpty();
        }

        /** The global (ts, order) sequence, flattened. */
        volatile long[] expected;

        /** Runs readers took from the shared log rather than merging themselves. */
        long followedRuns() {
            return runsHandedOut.get() - runsMerged.get();
        }

        long[] globalOrder() {
            List<long[]> all = new ArrayList<>();
            for (long[] t : writerTuples) {
                for (int i = 0; i < t.length; i += 2) {
                    all.add(new long[] {t[i], t[i + 1]});
                }
            }
            all.sort((a, b) -> TupleOrder.compare(a[0], a[1], b[0], b[1]));
            long[] out = new long[all.size() * 2];
            for (int i = 0; i < all.size(); i++) {
                out[2 * i] = all.get(i)[0];
                out[2 * i + 1] = all.get(i)[1];
            }
            return out;
        }

        /**
         * Feeds every writer from one thread in chunks, never waiting: a writer with batches outside its
         * ring gets no new tuples until they have moved in. The readers start after the first round, which
         * writes up to a ring and one tuple more into each writer.
         */
        void startSpillingDriver(List<EsgWriter> ws, SplittableRandom r) {
            Thread t = new Thread(() -> {
                try {
                    int[] pos = new int[ws.size()];
                    boolean[] closed = new boolean[ws.size()];
                    int max = 0;
                    for (int i = 0; i < ws.size(); i++) {
                        max = Math.max(max, writerTuples.get(i).length / 2);
                    }
                    maxTuplesPerWriter = max;
                    Backoff bo = new Backoff(50_000);
                    boolean first = true;
                    int open = ws.size();
                    long spilled = 0;
                    while (open > 0) {
                        boolean worked = false;
                        for (int i = 0; i < ws.size(); i++) {
                            EsgWriter w = ws.get(i);
                            if (closed[i]) {
                                continue;
                            }
                            if (w.hasSpilled() && !w.drainSpilled()) {
                                continue;
                            }
                            long[] tuples = writerTuples.get(i);
                            int n = tuples.length / 2;
                            int chunk = first ? ringTuples + 1 : r.nextInt(1, 3 * ringTuples + 2);
                            for (int c = 0; c < chunk && pos[i] < n; c++, pos[i]++) {
                                int k = pos[i];
                                TupleBatch b = w.claimOrSpill();
                                b.add(tuples[2 * k], tuples[2 * k + 1], null);
                                long progress = k == n - 1 ? Long.MAX_VALUE : tuples[2 * k + 2] - 1;
                                if (b.isFull() || r.nextInt(8) == 0) {
                                    w.publish(progress);
                                } else if (r.nextInt(16) == 0) {
                                    w.heartbeat(Math.min(b.ts[0] - 1, w.progress() + 1));
                                }
                                worked = true;
                            }
                            if (w.hasSpilled()) {
                                spilled++;
                            }
                            if (pos[i] == n) {
                                w.close(); // completes once what waits outside the ring has moved in
                                if (!w.hasSpilled()) {
                                    closed[i] = true;
                                    open--;
                                }
                            } else if (r.nextInt(4) == 0) {
                                w.publish(tuples[2 * pos[i]] - 1);
                            }
                        }
                        if (first) {
                            first = false;
                            spills = spilled;
                            firstRound.countDown();
                        }
                        if (worked) {
                            bo.reset();
                        } else if (!parkUntilRoom(ws, closed)) {
                            bo.idle();
                        }
                    }
                    spills = spilled;
                } catch (Throwable e) {
                    errors.add(e);
                    firstRound.countDown();
                }
            }, "spilling-driver-" + seed);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }

        /** Parks that ended by the guard rather than by a reader's unpark: lost wake-ups (must stay 0). */
        final java.util.concurrent.atomic.AtomicInteger roomGuardTimeouts = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger roomParks = new java.util.concurrent.atomic.AtomicInteger();

        /**
         * As a source thread does when every split is stalled on a full ring: registers with every open
         * writer's readers and parks until one frees room ({@link EsgWriter#awaitRoom}). The guard is long, so
         * a wake-up the protocol lost would show as a park that ran into it.
         */
        boolean parkUntilRoom(List<EsgWriter> ws, boolean[] closed) {
            Thread self = Thread.currentThread();
            boolean park = true;
            int registered = 0;
            for (int i = 0; i < ws.size() && park; i++) {
                if (closed[i]) {
                    continue;
                }
                if (!ws.get(i).hasSpilled()) {
                    park = false;
                    break;
                }
                registered++;
                park = ws.get(i).awaitRoom(self);
            }
            if (registered > 0 && park) {
                roomParks.incrementAndGet();
                long guard = TimeUnit.SECONDS.toNanos(5);
                long t0 = System.nanoTime();
                java.util.concurrent.locks.LockSupport.parkNanos(guard);
                if (System.nanoTime() - t0 >= guard) {
                    roomGuardTimeouts.incrementAndGet();
                }
            }
            for (EsgWriter w : ws) {
                w.stopAwaiting();
            }
            return registered > 0 && park;
        }

        void startWriter(EsgWriter w, long[] tuples, SplittableRandom r) {
            Thread t = new Thread(() -> {
                try {
                    Backoff bo = new Backoff(50_000);
                    int n = tuples.length / 2;
                    int k = 0; // joins this writer has waited for
                    for (int i = 0; i < n; i++) {
                        long ts = tuples[2 * i];
                        while (k < joinTs.length && ts > joinTs[k]) {
                            // nothing above joinTs[k] may be announced before writer k has joined
                            w.publish(Math.min(joinTs[k], ts - 1));
                            joined[k].await();
                            k++;
                        }
                        TupleBatch b = w.claim(WaitHook.NONE, bo);
                        b.add(ts, tuples[2 * i + 1], null);
                        long nextTs = i == n - 1 ? Long.MAX_VALUE : tuples[2 * i + 2];
                        long progress = nextTs - 1; // all later tuples are at or above nextTs
                        if (k < joinTs.length) {
                            progress = Math.min(progress, joinTs[k]);
                        }
                        if (b.isFull() || r.nextInt(8) == 0) {
                            w.publish(progress);
                        } else if (r.nextInt(16) == 0) {
                            w.heartbeat(Math.min(b.ts[0] - 1, w.progress() + 1));
                        }
                        if (r.nextInt(500) == 0) {
                            Thread.yield();
                        }
                    }
                    while (k < joinTs.length) { // an ended writer must not end the stream before a join
                        w.publish(joinTs[k]);
                        joined[k].await();
                        k++;
                    }
                    w.close();
                } catch (Throwable e) {
                    errors.add(e);
                }
            }, w.toString() + "-" + seed);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }

        void startReader(EsgReader reader, int startIndex, SplittableRandom r) {
            ReaderLog log = new ReaderLog(reader.toString(), startIndex);
            logs.add(log);
            Thread t = new Thread(() -> {
                try {
                    firstRound.await();
                    Run run = new Run();
                    Backoff bo = new Backoff(50_000);
                    int read = 0;
                    int limitIndex = -1;
                    long limitTs = Long.MAX_VALUE;
                    long limitOrder = Long.MAX_VALUE;
                    int spawnAt = r.nextInt(8) == 0 ? r.nextInt(0, 4000) : -1;
                    int leaveAt = r.nextInt(10) == 0 ? r.nextInt(0, 6000) : -1;
                    while (true) {
                        if (read >= spawnAt && spawnAt >= 0) {
                            EsgReader nr = gate.addReaderAt(reader);
                            startReader(nr, startIndex + read, r.split());
                            spawnAt = -1;
                        }
                        if (read >= leaveAt && leaveAt >= 0) {
                            gate.removeReader(reader);
                            return;
                        }
                        // with limits: now and then read only up to a tuple a little ahead, as an instance
                        // stopping at a reconfiguration's switch position does
                        int at = startIndex + read;
                        if (limits && limitIndex < at && r.nextInt(16) == 0 && 2 * (at + 1) < expected.length) {
                            limitIndex = Math.min(expected.length / 2 - 1, at + r.nextInt(0, 40));
                            // inclusive limit: that tuple's (ts, order), or its whole timestamp
                            limitTs = expected[2 * limitIndex];
                            limitOrder = r.nextBoolean() ? expected[2 * limitIndex + 1] : Long.MAX_VALUE;
                            if (limitOrder == Long.MAX_VALUE) {
                                while (limitIndex + 1 < expected.length / 2 && expected[2 * limitIndex + 2] == limitTs) {
                                    limitIndex++;
                                }
                            }
                        }
                        boolean limited = limitIndex >= at;
                        if (limited ? reader.nextRun(run, limitTs, limitOrder) : reader.nextRun(run, Long.MAX_VALUE)) {
                            bo.reset();
                            int to = run.to;
                            if (limits && r.nextInt(8) == 0) { // stop part-way: give back the tail
                                to = r.nextInt(run.from, run.to + 1);
                                reader.unread(run, to);
                            }
                            for (int i = run.from; i < to; i++) {
                                log.seq.add(run.batch.ts[i]);
                                log.seq.add(run.batch.order[i]);
                            }
                            read += to - run.from;
                            runsHandedOut.incrementAndGet();
                            if (r.nextInt(200) == 0) {
                                Thread.yield();
                            }
                        } else if (reader.watermark() == Long.MAX_VALUE) {
                            assertThat(2 * at).as("seed %d %s: watermark MAX before the end", seed, reader)
                                    .isEqualTo(expected.length);
                            log.completed = true;
                            return;
                        } else {
                            if (2 * at < expected.length && reader.watermark() >= expected[2 * at]) {
                                throw new AssertionError("seed " + seed + " " + reader + ": watermark " + reader.watermark()
                                        + " passes the unread tuple at " + expected[2 * at]);
                            }
                            if (limited && at > limitIndex) {
                                limitIndex = -1;
                            } else if (limited && r.nextInt(4) == 0) {
                                limitIndex = -1; // the reconfiguration is over: read on
                            }
                            bo.idle();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    runsMerged.addAndGet(reader.runsMerged());
                }
            }, reader.toString() + "-" + seed);
            synchronized (threads) {
                threads.add(t);
            }
            t.start();
        }
    }

    static final class ReaderLog {
        final String name;
        final int startIndex;
        final LongList seq = new LongList();
        volatile boolean completed;

        ReaderLog(String name, int startIndex) {
            this.name = name;
            this.startIndex = startIndex;
        }
    }

    /** A growable long array (the test's own, to keep assertions on primitive arrays). */
    static final class LongList {
        long[] a = new long[1024];
        int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
