package dev.stretch.api;

import dev.stretch.engine.plan.KeySpec;
import dev.stretch.engine.plan.ThetaJoin;
import dev.stretch.engine.plan.WindowLogic;
import dev.stretch.engine.plan.WindowNode;
import dev.stretch.engine.state.BadRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A window join of two streams, as in Flink: {@code a.join(b).where(ka).equalTo(kb).window(w).apply(f)}
 * emits {@code f(x, y)} for every pair of an {@code a} element {@code x} and a {@code b} element {@code y}
 * with equal keys in the same window, when the window closes.
 *
 * <p>Non-equi (theta) joins: {@code a.join(b).onBand(x, y, d).within(ws).apply(f)} (a band join,
 * {@code |x(a) - y(b)| <= d}) or {@code a.join(b).on(predicate).within(ws).apply(f)} emit {@code f(x, y)} for
 * every matching pair whose timestamps are at most {@code ws} apart, as soon as the later of the two
 * arrives, with that element's timestamp (ScaleJoin semantics, as a Flink interval join with bounds
 * {@code [-ws, +ws]} and no key). In VSN mode every instance sees every element, each element is stored
 * by one instance only (round robin) and each pair is compared by one instance only; in SN mode the right
 * side is broadcast to every instance and the left side partitioned (put the smaller stream on the right).
 * A theta join's key groups are its buckets: by default one per possible instance
 * ({@link JobConfig#maxInstances()}), or {@link WindowedOperator#setMaxParallelism}.
 */
public final class JoinedStreams<A, B> {
    private final DataStream<A> left;
    private final DataStream<B> right;

    JoinedStreams(DataStream<A> left, DataStream<B> right) {
        if (left.env != right.env) {
            throw new IllegalArgumentException("cannot join streams of different environments");
        }
        this.left = left;
        this.right = right;
    }

    public <K> Where<K> where(KeySelector<A, K> key) {
        return new Where<>(KeySpec.ofObject(Objects.requireNonNull(key)));
    }

    /** Joins on a primitive long key (both sides then use {@link Where#equalToLong}). */
    public Where<Long> whereLong(LongKeySelector<A> key) {
        return new Where<>(KeySpec.ofLong(Objects.requireNonNull(key)));
    }

    /** A non-equi join on a general predicate over one element of each side. */
    public Theta on(JoinPredicate<A, B> predicate) {
        return new Theta(null, null, 0, Objects.requireNonNull(predicate, "predicate"));
    }

    /** A band join: a left element {@code a} and a right element {@code b} match when {@code |left(a) - right(b)| <= width}. */
    public Theta onBand(DoubleField<A> left, DoubleField<B> right, double width) {
        if (!(width >= 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("band width must be a finite number >= 0, was " + width);
        }
        return new Theta(Objects.requireNonNull(left, "left"), Objects.requireNonNull(right, "right"), width, null);
    }

    /** The match condition of a theta join is chosen; now how far apart in time matching elements may be. */
    public final class Theta {
        private final DoubleField<A> leftBand;
        private final DoubleField<B> rightBand;
        private final double width;
        private final JoinPredicate<A, B> predicate;

        Theta(DoubleField<A> leftBand, DoubleField<B> rightBand, double width, JoinPredicate<A, B> predicate) {
            this.leftBand = leftBand;
            this.rightBand = rightBand;
            this.width = width;
            this.predicate = predicate;
        }

        /** Pairs whose timestamps differ by at most {@code bound} (inclusive). */
        public ThetaWithin within(Duration bound) {
            return withinMillis(bound.toMillis());
        }

        public ThetaWithin withinMillis(long boundMillis) {
            if (boundMillis < 0) {
                throw new IllegalArgumentException("a join's time bound must be >= 0, was " + boundMillis + " ms");
            }
            return new ThetaWithin(this, boundMillis);
        }
    }

    /** Condition and time bound are chosen; now what to emit. */
    public final class ThetaWithin {
        private final Theta theta;
        private final long within;

        ThetaWithin(Theta theta, long within) {
            this.theta = theta;
            this.within = within;
        }

        /** Emits {@code f(x, y)} for each matching pair, with the timestamp of the later of the two. */
        @SuppressWarnings("unchecked")
        public <OUT> WindowedOperator<OUT> apply(JoinFunction<A, B, OUT> f) {
            Objects.requireNonNull(f);
            ThetaJoin j = new ThetaJoin(within, (DoubleField<Object>) theta.leftBand, (DoubleField<Object>) theta.rightBand,
                    theta.width, (JoinPredicate<Object, Object>) theta.predicate, (JoinFunction<Object, Object, Object>) f);
            StreamEnvironment env = left.env;
            int id = env.nextId();
            WindowNode n = new WindowNode(id, (j.isBand() ? "band-join-" : "theta-join-") + id,
                    List.of(left.node, right.node), List.of(KeySpec.none(), KeySpec.none()), null,
                    WindowLogic.thetaJoin(j));
            return new WindowedOperator<>(env, env.add(n));
        }
    }

    /** The left key is chosen; now the right one. */
    public final class Where<K> {
        private final KeySpec leftKey;

        Where(KeySpec leftKey) {
            this.leftKey = leftKey;
        }

        public EqualTo equalTo(KeySelector<B, K> key) {
            return new EqualTo(leftKey, KeySpec.ofObject(Objects.requireNonNull(key)));
        }

        public EqualTo equalToLong(LongKeySelector<B> key) {
            return new EqualTo(leftKey, KeySpec.ofLong(Objects.requireNonNull(key)));
        }

        /** Both keys are chosen; now the windows. */
        public final class EqualTo {
            private final KeySpec l;
            private final KeySpec r;

            EqualTo(KeySpec l, KeySpec r) {
                this.l = l;
                this.r = r;
            }

            public WithWindow window(Windows windows) {
                return new WithWindow(l, r, Objects.requireNonNull(windows));
            }
        }

        /** Keys and windows are chosen; now what to emit. */
        public final class WithWindow {
            private final KeySpec l;
            private final KeySpec r;
            private final Windows windows;

            WithWindow(KeySpec l, KeySpec r, Windows windows) {
                this.l = l;
                this.r = r;
                this.windows = windows;
            }

            /** Emits {@code f(x, y)} for each matching pair. */
            public <OUT> WindowedOperator<OUT> apply(JoinFunction<A, B, OUT> f) {
                Objects.requireNonNull(f);
                StreamEnvironment env = left.env;
                int id = env.nextId();
                WindowNode n = new WindowNode(id, "window-join-" + id, List.of(left.node, right.node), List.of(l, r),
                        windows, WindowLogic.equiJoin(f, new PairJoin<>(f)));
                return new WindowedOperator<>(env, env.add(n));
            }

            /** Runs the general two-input windowed operator. */
            public <P, OUT> WindowedOperator<OUT> process(CoWindowProcessFunction<A, B, K, P, OUT> function) {
                StreamEnvironment env = left.env;
                int id = env.nextId();
                WindowNode n = new WindowNode(id, "window-join-" + id, List.of(left.node, right.node), List.of(l, r),
                        windows, WindowLogic.coProcess(function));
                return new WindowedOperator<>(env, env.add(n));
            }
        }
    }

    /**
     * The window join as a two-input window function: a pane keeps the key's elements of each side in
     * arrival order; a closing window emits the pairs of all its panes, left-major.
     */
    static final class PairJoin<A, B, K, OUT> implements CoWindowProcessFunction<A, B, K, PairJoin.Pane<A, B>, OUT> {
        private final JoinFunction<A, B, OUT> f;

        PairJoin(JoinFunction<A, B, OUT> f) {
            this.f = f;
        }

        @Override
        public Pane<A, B> createPane() {
            return new Pane<>();
        }

        @Override
        public Pane<A, B> update1(Pane<A, B> pane, A value) {
            if (pane.left == Collections.<A>emptyList()) {
                pane.left = new ArrayList<>(4);
            }
            pane.left.add(value);
            return pane;
        }

        @Override
        public Pane<A, B> update2(Pane<A, B> pane, B value) {
            if (pane.right == Collections.<B>emptyList()) {
                pane.right = new ArrayList<>(4);
            }
            pane.right.add(value);
            return pane;
        }

        /**
         * Every left element with every right element of the window, left-major in pane order (the order
         * does not depend on parallelism). Indexed loops over the panes' lists: no iterator per element.
         */
        @Override
        public void output(K key, TimeWindow window, Iterable<Pane<A, B>> panes, Collector<OUT> out) throws Exception {
            Pane<A, B> only = null;
            boolean several = false;
            for (Pane<A, B> p : panes) {
                if (only == null) {
                    only = p;
                } else {
                    several = true;
                    break;
                }
            }
            if (only == null) {
                return;
            }
            if (!several) { // tumbling windows: one pane
                cross(only.left, only.right, out);
                return;
            }
            List<B> rights = new ArrayList<>(); // sliding windows: all right elements, oldest pane first
            for (Pane<A, B> rp : panes) {
                rights.addAll(rp.right);
            }
            for (Pane<A, B> lp : panes) {
                cross(lp.left, rights, out);
            }
        }

        /**
         * A pair the join function throws on is handed to the engine as that pair ({@link BadRecords}), so it
         * is dead-lettered once, as itself, and the other pairs of the key and window are still emitted.
         */
        private void cross(List<A> left, List<B> right, Collector<OUT> out) throws Exception {
            int nr = right.size();
            if (nr == 0) {
                return;
            }
            for (int i = 0, nl = left.size(); i < nl; i++) {
                A a = left.get(i);
                for (int j = 0; j < nr; j++) {
                    B b = right.get(j);
                    OUT o;
                    try {
                        o = f.join(a, b);
                    } catch (Exception e) {
                        if (!(out instanceof BadRecords bad)) {
                            throw e;
                        }
                        bad.badRecord(new Pair(a, b), "join function threw", e);
                        continue;
                    }
                    out.collect(o);
                }
            }
        }

        /** A failing pair as it appears in a dead letter: {@code (left, right)}. */
        private record Pair(Object left, Object right) {
            @Override
            public String toString() {
                return "(" + left + ", " + right + ")";
            }
        }

        /** One key's elements of one pane, per side. */
        static final class Pane<A, B> {
            List<A> left = Collections.emptyList();
            List<B> right = Collections.emptyList();
        }
    }
}
