package dev.stretch.engine.exec;

import dev.stretch.api.ExecutionMode;
import dev.stretch.api.InvalidReconfigurationException;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.TimeWindow;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.EsgReader;
import dev.stretch.engine.esg.EsgWriter;
import dev.stretch.engine.esg.Run;
import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.esg.WaitHook;
import dev.stretch.api.InstanceMetrics;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.plan.WindowLogic;
import dev.stretch.engine.plan.WindowNode;
import dev.stretch.engine.plan.ThetaJoin;
import dev.stretch.engine.state.JoinBucket;
import dev.stretch.engine.state.KeyGroupState;
import dev.stretch.engine.state.ObjectPaneProgram;
import dev.stretch.engine.state.PaneTable;
import dev.stretch.engine.state.PrimitiveAggregateProgram;
import dev.stretch.engine.state.WindowGeometry;
import dev.stretch.engine.state.WindowOutput;
import dev.stretch.engine.state.WindowProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A keyed windowed operator (aggregate, join, or the general form), or a theta join (ScaleJoin, whose key
 * groups are the buckets that store its elements; see {@link ScaleJoinScan}).
 *
 * <p><b>VSN mode</b>: all instances read one input gate (every instance sees every tuple), share one
 * array of key-group states, and each processes only the key groups the current
 * {@link KeyGroupOwnership} gives it. Any tuple, whoever owns it, advances every instance's event time,
 * so each instance closes its own key groups' windows on time. Reconfiguration changes the ownership at
 * an agreed input position ({@link EpochSwitch}); no state moves.
 *
 * <p><b>SN mode</b>: each instance has its own gate and its own key-group states; producers route each
 * tuple to its key's instance and send their progress to all. Fixed parallelism.
 */
final class WindowStage extends Stage implements InputPort {
    private static final long NO_END = OwnedTupleScan.NO_END;
    /** A run at least this long counts as long (see the run loop). */
    private static final int CONTROL_STRIDE = OwnedTupleScan.CHUNK;
    /** Short runs after which an instance reads the clock and publishes its output (see the run loop). */
    private static final int FLUSH_RUNS = 32;

    private final WindowNode node;
    private final WindowGeometry geo;
    private final WindowProgram program;
    private final int keyGroups;
    private final boolean vsn;
    private final int maxInstances;
    private final int initialInstances;
    /** Primitive aggregates add a tuple of a key its pane holds through {@link KeyGroupState#addHot}. */
    private final boolean hotPanes = !"false".equals(System.getProperty("stretch.state.hotPane"));
    // VSN
    private ElasticScaleGate gate;
    private KeyGroupState[] shared;
    /** A theta join's buckets, shared by the VSN instances; {@code null} for other operators. */
    private JoinBucket[] sharedBuckets;
    private final ThetaJoin theta;
    private volatile KeyGroupOwnership ownership;
    private volatile EpochSwitch pending;
    // SN
    private ElasticScaleGate[] snGates;
    private short[] snRoute;
    /** Current instances, by index. Guarded by {@code this}. */
    private final List<Instance> instances = new ArrayList<>();
    /** The same instances, for lock-free readers (wake-ups); replaced whenever the list changes. */
    private volatile Instance[] view = new Instance[0];
    /** Instances still running (not yet at end of stream). Guarded by {@code this}. */
    private int live;
    private final Object reconfigureLock = new Object();
    /** How many tuples an instance may read beyond its slowest sibling. */
    private final long maxLead;
    /** Instances parked in {@code waitForSiblings}; siblings check it after each run. */
    private final java.util.concurrent.atomic.AtomicInteger leadWaiters = new java.util.concurrent.atomic.AtomicInteger();
    private final SiblingProgress siblingProgress;
    /** Bounds a wait for a sibling as a guard; wake-ups come from the sibling (see waitForSiblings). */
    private static final long LEAD_WAIT_SAFETY_NANOS = 5_000_000;

    WindowStage(WindowNode node, JobContext ctx, int parallelism, int keyGroups) {
        super(node.name(), "window", ctx);
        this.node = node;
        this.theta = node.logic().thetaJoin();
        // a theta join has no windows; its geometry is a placeholder no window ever closes on
        this.geo = new WindowGeometry(node.windows() != null ? node.windows() : dev.stretch.api.Windows.tumblingMillis(1));
        this.keyGroups = keyGroups;
        this.vsn = ctx.config.mode() == ExecutionMode.VSN;
        this.maxInstances = Math.min(ctx.config.maxInstances(), keyGroups);
        this.initialInstances = parallelism;
        this.maxLead = 2L * ctx.config.batchSize();
        this.siblingProgress = new SiblingProgress(node.name());
        if (parallelism > keyGroups) {
            throw new IllegalArgumentException("parallelism of '" + name + "' (" + parallelism
                    + ") exceeds its key groups (" + keyGroups + ")");
        }
        WindowLogic l = node.logic();
        boolean longKeys = node.longKeys();
        if (l.primitive() != null) {
            this.program = new PrimitiveAggregateProgram(longKeys, l.primitive(), l.result());
        } else if ((Object) l.aggregate() instanceof dev.stretch.api.CompositeAggregation<?> c) {
            @SuppressWarnings("unchecked")
            dev.stretch.api.CompositeAggregation<Object> composite = (dev.stretch.api.CompositeAggregation<Object>) c;
            this.program = new dev.stretch.engine.state.CompositeAggregateProgram(longKeys, composite, l.result());
        } else if (l.aggregate() != null) {
            this.program = ObjectPaneProgram.aggregate(longKeys, l.aggregate(), l.result());
        } else if (l.process() != null) {
            this.program = ObjectPaneProgram.process(longKeys, l.process());
        } else if (l.join() != null && !"false".equals(System.getProperty("stretch.join.columns"))) {
            this.program = new dev.stretch.engine.state.JoinPaneProgram(longKeys, l.join());
        } else if (l.coProcess() != null) {
            this.program = ObjectPaneProgram.coProcess(longKeys, l.coProcess());
        } else {
            this.program = null; // theta join: buckets, not panes
        }
    }

    int keyGroups() {
        return keyGroups;
    }

    @Override
    int lanes() {
        return keyGroups;
    }

    private KeyGroupState[] newStates() {
        KeyGroupState[] s = new KeyGroupState[keyGroups];
        for (int g = 0; g < keyGroups; g++) {
            s[g] = new KeyGroupState(program, geo.panesPerWindow, hotPanes);
        }
        return s;
    }

    /** A theta join's buckets ({@code null} for other operators). */
    private JoinBucket[] newBuckets() {
        if (theta == null) {
            return null;
        }
        JoinBucket[] b = new JoinBucket[keyGroups];
        for (int g = 0; g < keyGroups; g++) {
            b[g] = new JoinBucket();
        }
        return b;
    }

    @Override
    void initInput() {
        int n = initialInstances;
        ownership = KeyGroupOwnership.initial(keyGroups, n);
        int ring = ctx.config.ringBatches();
        int batch = ctx.config.batchSize();
        if (vsn) {
            gate = new ElasticScaleGate(name, ring, batch);
            shared = newStates();
            sharedBuckets = newBuckets();
            for (int i = 0; i < n; i++) {
                instances.add(new Instance(i, gate.addReader(), shared, sharedBuckets, Long.MIN_VALUE, Long.MIN_VALUE,
                        Long.MIN_VALUE));
            }
        } else {
            snGates = new ElasticScaleGate[n];
            snRoute = new short[keyGroups];
            for (int g = 0; g < keyGroups; g++) {
                snRoute[g] = (short) ownership.ownerOf(g);
            }
            for (int i = 0; i < n; i++) {
                snGates[i] = new ElasticScaleGate(name + "#" + i, ring, batch);
                instances.add(new Instance(i, snGates[i].addReader(), newStates(), newBuckets(), Long.MIN_VALUE, Long.MIN_VALUE,
                        Long.MIN_VALUE));
            }
        }
        live = n;
        view = instances.toArray(new Instance[0]);
    }

    @Override
    void init() {
        for (Instance in : instances) {
            in.initOutputs();
        }
    }

    @Override
    void start() {
        for (Instance in : instances) {
            ctx.submit(in);
        }
    }

    @Override
    public EsgWriter[] addWriters(int side, long startProgress) {
        if (vsn) {
            return new EsgWriter[] {gate.addWriter(side, startProgress)};
        }
        EsgWriter[] ws = new EsgWriter[snGates.length];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = snGates[i].addWriter(side, startProgress);
        }
        return ws;
    }

    @Override
    public short[] route() {
        return vsn ? null : snRoute;
    }

    @Override
    public List<ElasticScaleGate> inputGates() {
        return vsn ? List.of(gate) : List.of(snGates);
    }

    @Override
    synchronized int instances() {
        return instances.size();
    }

    @Override
    boolean emitsUnsortedWithinTimestamp() {
        return theta != null;
    }

    @Override
    boolean isElastic() {
        return vsn;
    }

    @Override
    int maxInstances() {
        return vsn ? maxInstances : instances();
    }

    // ---------------------------------------------------------------- reconfiguration

    @Override
    ReconfigurationResult reconfigure(int n) {
        if (!vsn) {
            throw new InvalidReconfigurationException("operator '" + name + "' runs in SN mode, whose instances own "
                    + "private state; reconfiguration needs VSN mode");
        }
        checkInstances(n);
        synchronized (reconfigureLock) {
            long t0 = System.nanoTime();
            EpochSwitch sw;
            synchronized (this) {
                int current = instances.size();
                if (live < current || ctx.isStopping()) {
                    throw new IllegalStateException("operator '" + name + "' has finished; it cannot be rescaled");
                }
                if (n == current) {
                    return new ReconfigurationResult(name, n, n, System.nanoTime() - t0, Long.MIN_VALUE, 0);
                }
                sw = new EpochSwitch(ownership.rebalance(n), current, n, t0);
                pending = sw;
                wakeAll(); // parked (idle) instances vote now rather than at the end of their park
            }
            try {
                while (true) {
                    try {
                        return sw.result.get(100, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException e) {
                        if (ctx.isStopping()) {
                            throw new IllegalStateException("job stopped during the reconfiguration of '" + name + "'");
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reconfiguring '" + name + "'", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("reconfiguration of '" + name + "' failed", e.getCause());
            }
        }
    }

    /** Run by the last instance to arrive at the barrier: every other current instance is paused. */
    private synchronized void completeSwitch(EpochSwitch sw) {
        Instance template = instances.get(0); // index 0 always survives (n >= 1)
        List<Instance> next = new ArrayList<>(instances.subList(0, Math.min(sw.from, sw.to)));
        for (int i = sw.from; i < sw.to; i++) {
            EsgReader r = gate.addReaderAt(template.reader);
            Instance ni = new Instance(i, r, shared, sharedBuckets, template.applied, template.committedTs,
                    template.committedOrder);
            ni.initOutputs();
            next.add(ni);
        }
        for (int i = sw.to; i < sw.from; i++) {
            counters.retire(instances.get(i).counters); // their last counts, published before they arrived
        }
        KeyGroupOwnership before = ownership;
        ownership = sw.target;
        live += sw.to - sw.from;
        instances.clear();
        instances.addAll(next);
        Instance[] old = view;
        view = instances.toArray(new Instance[0]);
        gate.pruneClosedWriters();
        for (int i = sw.from; i < sw.to; i++) {
            ctx.submit(next.get(i));
        }
        long d = System.nanoTime() - sw.requestNanos;
        counters.reconfigurations.increment();
        counters.reconfigurationNanos.add(d);
        ReconfigurationResult res = new ReconfigurationResult(name, sw.from, sw.to, d, sw.switchTs(),
                sw.target.movedFrom(before));
        pending = null;
        sw.completed = true; // releases the paused instances (they read it, then the new ownership)
        for (Instance i : old) {
            Thread t = i.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        sw.result.complete(res);
    }

    /** A one-line-per-instance account of where each instance stands, for diagnosing a stuck job. */
    synchronized String describe() {
        StringBuilder b = new StringBuilder(name).append(": pending=").append(pending == null ? "none"
                : pending.from + "->" + pending.to + (pending.decided() ? " decided at " + pending.switchTs() + "/"
                        + Long.toHexString(pending.switchOrder()) : " voting") + " arrived=" + pending.arrived.get());
        if (gate != null) {
            b.append("\n  ").append(gate.describe());
        }
        for (Instance i : instances) {
            b.append("\n  #").append(i.index).append(" read=").append(i.reader.tuplesRead()).append(" committed=")
                    .append(i.committedTs).append('/').append(Long.toHexString(i.committedOrder)).append(" applied=")
                    .append(i.applied).append(" voted=").append(i.mySwitch != null).append(" readerWm=")
                    .append(i.reader.watermark());
        }
        return b.toString();
    }

    /** The current instances (tests and diagnosis). */
    Instance[] currentInstances() {
        return view;
    }

    /** Unparks every current instance's thread. */
    private void wakeAll() {
        for (Instance i : view) {
            Thread t = i.thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    // ---------------------------------------------------------------- metrics

    @Override
    OperatorMetrics metrics() {
        List<Instance> current;
        long in;
        long out;
        long busy;
        synchronized (this) { // the instance list and the retired totals change together, in completeSwitch
            current = new ArrayList<>(instances);
            in = counters.retiredIn.sum();
            out = counters.retiredOut.sum();
            busy = counters.retiredBusy.sum();
        }
        List<InstanceMetrics> per = new ArrayList<>();
        long wm = Long.MAX_VALUE;
        for (Instance i : current) {
            InstanceMetrics m = i.counters.snapshot();
            per.add(m);
            in += m.tuplesIn();
            out += m.tuplesOut();
            busy += m.busyNanos();
            wm = Math.min(wm, m.watermark());
        }
        long backlog = 0;
        long maxTs = Long.MIN_VALUE;
        for (ElasticScaleGate g : vsn ? new ElasticScaleGate[] {gate} : snGates) {
            backlog += g.backlogTuples();
            for (EsgWriter w : g.writers()) {
                long p = w.progress();
                if (p != Long.MAX_VALUE) {
                    maxTs = Math.max(maxTs, p);
                }
            }
        }
        return new OperatorMetrics(name, kind, current.size(), in, out, busy, counters.late.sum(), counters.bad.sum(),
                counters.deadLetters.sum(), backlog, wm, maxTs, counters.reconfigurations.sum(),
                counters.reconfigurationNanos.sum(), per);
    }

    // ---------------------------------------------------------------- instance

    /** What an instance that is too far ahead waits on (the blocker in thread dumps). */
    static final class SiblingProgress {
        private final String operator;

        SiblingProgress(String operator) {
            this.operator = operator;
        }

        @Override
        public String toString() {
            return "progress of the slowest instance of '" + operator + "'";
        }
    }

    /**
     * One instance: reads runs from the input gate, updates the panes of its own key groups, closes their
     * windows as event time passes, and emits through its chain into its own writers.
     */
    final class Instance implements Runnable, WaitHook, WindowOutput, OwnedTupleScan.OpenWindows, ScaleJoinScan.Host {
        final int index;
        final EsgReader reader;
        final KeyGroupState[] states;
        final InstanceCounters counters;
        final Backoff backoff = new Backoff();
        final Run run = new Run();
        final Object scratch = program == null ? null : program.newScratch();
        /** A theta join's buckets (shared in VSN mode) and, in SN mode, the instance's copy of the right side. */
        final JoinBucket[] buckets;
        final JoinBucket.Window snRight = new JoinBucket.Window();
        final ScaleJoinScan joinScan = theta == null ? null : new ScaleJoinScan(theta);
        final PaneTable[] paneBuf = new PaneTable[geo.panesPerWindow];
        Outputs outputs;
        /** 1 for the key groups this instance owns, else 0 (added, not branched on: see OwnedTupleScan). */
        byte[] mine;
        final OwnedTupleScan scan = new OwnedTupleScan();
        int[] owned;
        /** Event time up to which windows are closed and output is published. */
        long applied;
        /** The input position this instance has committed to process (see {@link EpochSwitch}). */
        long committedTs;
        long committedOrder;
        long nextCloseEnd = NO_END;
        long paneStart = Long.MAX_VALUE;
        long paneEnd = Long.MIN_VALUE;
        long pane;
        /** When the current stretch of back-to-back runs began ({@code 0}: none), and counts within it. */
        long burstStart;
        long burstBlocked;
        int runsSinceFlush;
        /** A window was emitted since the last flush: flush after this run. */
        boolean emittedSinceFlush;
        /**
         * A lower bound of the siblings' read counts, refreshed only when it no longer shows this instance
         * within its lead. Read counts only grow (an {@code unread} takes back less than a run, which this
         * soft bound tolerates), and a new sibling comes with a new view, which forces a refresh.
         */
        long siblingsReadFloor;
        Instance[] siblingsSeen;
        EpochSwitch mySwitch;
        volatile Thread thread;
        /** Parks on a slower sibling's progress so far (for tests and diagnosis; written by this thread only). */
        volatile long siblingWaits;
        /** While this instance waits for its siblings: the read count each must reach; else MAX_VALUE. */
        volatile long leadWaitFloor = Long.MAX_VALUE;

        Instance(int index, EsgReader reader, KeyGroupState[] states, JoinBucket[] buckets, long applied, long committedTs,
                long committedOrder) {
            this.index = index;
            this.reader = reader;
            this.states = states;
            this.buckets = buckets;
            this.applied = applied;
            this.committedTs = committedTs;
            this.committedOrder = committedOrder;
            this.counters = new InstanceCounters(index);
            this.counters.watermark = applied;
        }

        void initOutputs() {
            outputs = new Outputs(applied, this, backoff, counters, index);
        }

        @Override
        public void run() {
            thread = Thread.currentThread();
            loadOwnership(ownership);
            while (true) {
                ctx.checkRunning();
                checkSwitch();
                long limTs = Long.MAX_VALUE;
                long limOrd = Long.MAX_VALUE;
                EpochSwitch sw = mySwitch;
                // Read 'decided' once per round: the limit and the arrival test below must agree. Had the
                // decision come in between, an instance stopped at its own vote would arrive short of the
                // switch position, and the tuples in between would be processed under the new ownership.
                boolean decided = sw != null && sw.decided();
                if (sw != null) {
                    if (decided) {
                        limTs = sw.switchTs();
                        limOrd = sw.switchOrder();
                    } else {
                        limTs = committedTs;
                        limOrd = committedOrder;
                    }
                }
                if (vsn && aheadOfSiblings()) {
                    endBurst();
                    waitForSiblings(); // let the slowest sibling catch up: bounds a reconfiguration's catch-up
                    continue;
                }
                if (reader.nextRun(run, limTs, limOrd)) {
                    if (burstStart == 0) {
                        beginBurst();
                    }
                    TupleBatch b = run.batch;
                    committedTs = b.ts[run.to - 1]; // committed before processing: see EpochSwitch
                    committedOrder = b.order[run.to - 1];
                    int end = process(b, run.from, run.to, run.side);
                    if (end < run.to) { // a reconfiguration is waiting: stop here and vote this position
                        reader.unread(run, end);
                        committedTs = b.ts[end - 1];
                        committedOrder = b.order[end - 1];
                    }
                    long p = committedTs - 1;
                    if (p > applied) {
                        applied = p;
                    }
                    counters.watermark = applied;
                    if (leadWaiters.get() != 0) { // one volatile load per run; see waitForSiblings
                        wakeLeadWaiters();
                    }
                    // A long run, or every FLUSH_RUNS short ones: read the clock (busy time so far) and
                    // publish. Short runs (closely interleaved writers) would otherwise pay a clock read
                    // and a flush each; a slow operator still reports at least once per run.
                    boolean tick = end - run.from >= CONTROL_STRIDE || ++runsSinceFlush >= FLUSH_RUNS;
                    if (tick) {
                        accountBusy();
                    }
                    if (tick || emittedSinceFlush) {
                        flushOutputs();
                    } else {
                        outputs.progress(applied); // announced with the next batch or flush
                    }
                    backoff.reset();
                    continue;
                }
                endBurst(); // nothing ready: publish what was produced, then see whether windows close
                long w = reader.watermark();
                if (sw != null) {
                    w = Math.min(w, decided ? allowed(sw.switchTs(), sw.switchOrder()) : allowed(committedTs, committedOrder));
                }
                if (w > applied) {
                    beginBurst();
                    if (w > committedTs || (w == committedTs && committedOrder != Long.MAX_VALUE)) {
                        committedTs = w;
                        committedOrder = Long.MAX_VALUE;
                    }
                    closeWindows(w);
                    applied = w;
                    counters.watermark = w;
                    endBurst(); // counts the time, publishes the results with progress w
                    backoff.reset();
                }
                if (decided && applied >= allowed(sw.switchTs(), sw.switchOrder())) {
                    if (arrive(sw)) {
                        return; // removed by the reconfiguration
                    }
                    continue;
                }
                if (applied == Long.MAX_VALUE && endOfStream()) {
                    return;
                }
                backoff.idle();
            }
        }

        /** Starts timing a stretch of back-to-back runs (one clock read per stretch, not per run). */
        private void beginBurst() {
            burstStart = System.nanoTime();
            burstBlocked = counters.blocked;
        }

        /** Counts the current stretch's busy time so far (time blocked on full output rings excluded). */
        private void accountBusy() {
            long now = System.nanoTime();
            long blocked = counters.blocked;
            counters.busy += now - burstStart - (blocked - burstBlocked);
            burstStart = now;
            burstBlocked = blocked;
        }

        /** Ends the current stretch of runs, if any: publishes its output and counts its busy time. */
        private void endBurst() {
            if (burstStart == 0) {
                return;
            }
            accountBusy();
            burstStart = 0;
            flushOutputs();
        }

        /**
         * Publishes open output batches with the instance's progress. Called when a run closed windows (their
         * results should not wait), after a long run or {@link #FLUSH_RUNS} short ones, and whenever the
         * instance runs out of ready input; between those, full batches go out on their own and the progress
         * rides on them.
         */
        private void flushOutputs() {
            outputs.flush(applied);
            emittedSinceFlush = false;
            runsSinceFlush = 0;
            counters.publish();
        }

        /** The watermark an instance stands at when it has consumed everything up to a position. */
        private long allowed(long ts, long order) {
            return order == Long.MAX_VALUE || ts == Long.MIN_VALUE ? ts : ts - 1;
        }

        private void checkSwitch() {
            EpochSwitch p = pending;
            if (p != null && p != mySwitch) {
                mySwitch = p;
                if (p.vote(committedTs, committedOrder)) {
                    wakeAll(); // the decision is in: instances waiting for it may go on
                }
            }
        }

        @Override
        public void onWait() {
            ctx.checkRunning();
            checkSwitch();
        }

        @Override
        public void waited(long nanos) {
            counters.blocked += nanos;
        }

        /**
         * Processes tuples {@code [from, to)}; returns where it stopped: {@code to}, or earlier when a
         * reconfiguration request arrived (see {@link OwnedTupleScan}).
         */
        private int process(TupleBatch b, int from, int to, int side) {
            if (joinScan != null) {
                int end = vsn ? joinScan.scanShared(b, from, to, side, mine, owned, buckets, this)
                        : joinScan.scanPartitioned(b, from, to, side, mine, owned, buckets, snRight, this);
                counters.in += joinScan.stored();
                counters.read += end - from;
                return end;
            }
            int end = b.isMultiKey() ? scan.scanMulti(b, from, to, side, mine, this)
                    : scan.scan(b, from, to, side, mine, this);
            counters.in += scan.added();
            counters.read += end - from;
            return end;
        }

        @Override
        public long nextEnd() {
            return nextCloseEnd;
        }

        @Override
        public void add(TupleBatch b, int k, int side) {
            long t = b.ts[k];
            if (t >= paneEnd || t < paneStart) {
                pane = geo.paneOf(t);
                paneStart = pane * geo.pane;
                paneEnd = paneStart + geo.pane;
            }
            KeyGroupState s = states[b.keyGroup[k]];
            try {
                if (!s.addHot(pane, b, k)) { // a key new to the pane, or no hot path: through the pane table
                    try {
                        s.table(pane).update(b, k, side);
                    } finally {
                        s.refreshHot(); // the update may have replaced the pane's arrays
                    }
                }
            } catch (Exception e) {
                ctx.badRecord(WindowStage.this.counters, b.value[k], t, "window function threw", e);
            }
            if (nextCloseEnd == NO_END) { // the first live pane: windows now end somewhere
                nextCloseEnd = geo.firstEndContainingPane(pane);
            }
        }

        @Override
        public void addKey(TupleBatch b, int k, int j, int side) {
            long t = b.ts[k];
            if (t >= paneEnd || t < paneStart) {
                pane = geo.paneOf(t);
                paneStart = pane * geo.pane;
                paneEnd = paneStart + geo.pane;
            }
            KeyGroupState s = states[b.multiGroup[j]];
            try {
                try {
                    s.table(pane).updateKey(b, k, j, side);
                } finally {
                    s.refreshHot(); // the update may have replaced the pane's arrays
                }
            } catch (Exception e) {
                ctx.badRecord(WindowStage.this.counters, b.value[k], t, "window function threw", e);
            }
            if (nextCloseEnd == NO_END) {
                nextCloseEnd = geo.firstEndContainingPane(pane);
            }
        }

        @Override
        public void closeUpTo(long ts) {
            closeWindows(ts - 1);
        }

        /** Whether a reconfiguration waits for this instance's vote: it then stops part-way through a run. */
        @Override
        public boolean stopRequested() {
            EpochSwitch p = pending;
            return p != null && p != mySwitch;
        }

        /**
         * Whether this instance has read more than {@link #maxLead} tuples beyond its slowest sibling. The
         * writer's ring already bounds the gap; this bounds it tighter, so that the slowest instance has
         * little to catch up on when a reconfiguration asks everyone to meet at one position. It costs no
         * throughput: the slowest instance paces the gate anyway.
         */
        private boolean aheadOfSiblings() {
            Instance[] v = view;
            if (v.length < 2) {
                return false;
            }
            long mineRead = reader.tuplesRead();
            if (v == siblingsSeen && mineRead - siblingsReadFloor <= maxLead) {
                return false; // the siblings are at least at the floor: not ahead, without touching their lines
            }
            long min = mineRead;
            for (Instance o : v) {
                if (o != this) {
                    min = Math.min(min, o.reader.tuplesRead());
                }
            }
            siblingsSeen = v;
            siblingsReadFloor = min;
            return mineRead - min > maxLead;
        }

        /*
         * Waiting for a slower sibling (this instance has read more than maxLead tuples beyond it).
         *
         * The waiter parks on the siblings' progress instead of spinning: on a machine with as many busy
         * threads as cores, a spinning or yielding waiter takes the core the sibling it waits for needs. It
         * publishes what it waits for (leadWaitFloor: its own read count, which every sibling should reach),
         * registers (leadWaiters, an atomic increment: a full fence), then reads the siblings' counts again
         * and parks only if one is still more than maxLead behind. A sibling, after each run (which raised
         * its read count), loads leadWaiters and, if anyone waits, unparks each waiter whose floor it has
         * reached. A waiter woken early (another sibling is still behind) looks again and parks again.
         *
         * Lost wake-ups: the waiter's registration is ordered before its second look by the fence. The
         * sibling's count store and its leadWaiters load are not fenced (that would cost a fence per run),
         * so the sibling may miss a registration that came just after its run and the waiter may see the
         * count from before that run. Then the sibling sees the registration after its next run; it has a
         * next run, or it stops for a reason that wakes the waiter anyway: a reconfiguration (wakeAll, and
         * completeSwitch unparks every old instance), the end of its input (it then has read everything the
         * waiter has: no longer behind; endOfStream wakes waiters), or a stopped job. The park is bounded
         * (LEAD_WAIT_SAFETY_NANOS) only as a guard, not for progress.
         */
        private void waitForSiblings() {
            // Hysteresis: sleep until the siblings have caught up with this instance, not just to within the
            // lead, so that each wake-up buys a whole lead of work (a wake-up costs the slower sibling an
            // unpark, and both of them a context switch).
            long floor = reader.tuplesRead();
            leadWaitFloor = floor;
            leadWaiters.incrementAndGet();
            try {
                if (slowestSiblingRead() < floor - maxLead) {
                    siblingWaits++;
                    LockSupport.parkNanos(siblingProgress, LEAD_WAIT_SAFETY_NANOS);
                }
            } finally {
                leadWaiters.decrementAndGet();
                leadWaitFloor = Long.MAX_VALUE;
            }
        }

        /** The lowest read count of the other current instances (this instance's own when it has none). */
        private long slowestSiblingRead() {
            long min = reader.tuplesRead();
            for (Instance o : view) {
                if (o != this) {
                    min = Math.min(min, o.reader.tuplesRead());
                }
            }
            return min;
        }

        /** Unparks the siblings that wait for this instance's read count and have their floor reached. */
        private void wakeLeadWaiters() {
            long mine = reader.tuplesRead();
            for (Instance o : view) {
                if (o != this && o.leadWaitFloor <= mine) {
                    Thread t = o.thread;
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }

        /** Emits and expires every window of this instance's key groups that ends at or before {@code w + 1}. */
        private void closeWindows(long w) {
            int k = geo.panesPerWindow;
            while (nextCloseEnd != NO_END && nextCloseEnd - 1 <= w) {
                long e = nextCloseEnd;
                TimeWindow win = new TimeWindow(e - geo.size, e);
                long first = geo.firstPaneOfWindowEnding(e);
                long keep = geo.firstPaneAfterWindowEnding(e);
                long next = NO_END;
                for (int g : owned) {
                    KeyGroupState s = states[g];
                    if (!s.hasData()) {
                        continue;
                    }
                    if (s.minLivePane() < first + k) {
                        for (int j = 0; j < k; j++) {
                            paneBuf[j] = s.tableIfLive(first + j);
                        }
                        program.emit(paneBuf, k, win, g, this, scratch);
                        emittedSinceFlush = true;
                    }
                    s.expireBefore(keep);
                    if (s.hasData()) { // a pane may outlive this window: its next window ends later
                        next = Math.min(next, Math.max(e + geo.slide, geo.firstEndContainingPane(s.minLivePane())));
                    }
                }
                java.util.Arrays.fill(paneBuf, null);
                nextCloseEnd = next;
                paneEnd = Long.MIN_VALUE; // panes may have been expired: look the current one up again
                paneStart = Long.MAX_VALUE;
            }
        }

        @Override
        public void emit(long timestamp, int lane, Object value) {
            outputs.head.emit(timestamp, lane, value);
        }

        @Override
        public void outputFailed(Object key, TimeWindow window, Exception cause) {
            rethrowIfNotUsers(cause);
            ctx.badRecord(WindowStage.this.counters, "key " + key + " window [" + window.start() + ", " + window.end()
                    + ")", window.maxTimestamp(), "window output function threw", cause);
        }

        @Override
        public void recordFailed(Object record, long timestamp, String reason, Exception cause) {
            ctx.badRecord(WindowStage.this.counters, record, timestamp, reason, cause);
        }

        /**
         * A stop, or a failure the error policy already raised downstream (a chained operator under
         * {@code FAIL}), passes through output code; it is no bad record of this operator.
         */
        private void rethrowIfNotUsers(Exception e) {
            if (e instanceof TaskStopped s) {
                throw s;
            }
            if (e instanceof dev.stretch.api.JobFailedException j) {
                throw j;
            }
        }

        private void loadOwnership(KeyGroupOwnership o) {
            siblingsSeen = null; // the instance set changed; and an old view must not keep removed instances alive
            mine = o.maskOf(index);
            owned = o.keyGroupsOf(index);
            long next = NO_END;
            long open = geo.firstEndAfter(applied); // windows ending before it are emitted already
            for (int g : owned) {
                if (states[g].hasData()) {
                    next = Math.min(next, Math.max(open, geo.firstEndContainingPane(states[g].minLivePane())));
                }
            }
            nextCloseEnd = next;
            paneEnd = Long.MIN_VALUE;
            paneStart = Long.MAX_VALUE;
        }

        /** Returns whether this instance leaves (it was removed). */
        private boolean arrive(EpochSwitch sw) {
            wakeLeadWaiters(); // it stops reading until the switch: whoever waits for it must not sleep on
            outputs.flush(applied);
            counters.watermark = applied;
            counters.publish();
            boolean removed = index >= sw.to;
            if (removed) { // its counters are retired by completeSwitch, under the lock metrics() takes
                outputs.close();
                gate.removeReader(reader);
                siblingsSeen = null; // old views reach this instance; it must not reach older ones
            }
            if (sw.arrived.incrementAndGet() == sw.voters) {
                completeSwitch(sw);
            } else if (!removed) {
                while (!sw.completed) { // woken by completeSwitch; the timeout only bounds a lost wake-up
                    ctx.checkRunning();
                    LockSupport.parkNanos(200_000);
                }
            }
            if (removed) {
                return true;
            }
            mySwitch = null;
            loadOwnership(ownership);
            return false;
        }

        /** At end of input: leave, unless a reconfiguration still needs this instance's vote. */
        private boolean endOfStream() {
            synchronized (WindowStage.this) {
                if (pending != null) {
                    return false;
                }
                live--;
            }
            wakeLeadWaiters();
            outputs.close();
            return true;
        }
    }
}
