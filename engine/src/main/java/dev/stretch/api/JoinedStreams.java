package dev.stretch.api;

import dev.stretch.engine.plan.KeySpec;
import dev.stretch.engine.plan.WindowLogic;
import dev.stretch.engine.plan.WindowNode;
import dev.stretch.engine.state.BadRecords;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A window join of two streams, as in Flink: {@code a.join(b).where(ka).equalTo(kb).window(w).apply(f)}
 * emits {@code f(x, y)} for every pair of an {@code a} element {@code x} and a {@code b} element {@code y}
 * with equal keys in the same window, when the window closes.
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
                return process(new PairJoin<>(f));
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
