package dev.stretch.engine.exec;

import dev.stretch.engine.esg.TupleBatch;
import dev.stretch.engine.plan.ThetaJoin;
import dev.stretch.engine.state.JoinBucket;
import dev.stretch.engine.state.WindowOutput;

/**
 * How a theta-join instance goes through one run of its input: ScaleJoin (paper-notes §2.4) over the
 * join's buckets, which are its key groups.
 *
 * <h2>VSN mode ({@link #scanShared})</h2>
 * Every instance reads every element, in the one order of the shared input. For element {@code t} of side
 * {@code s} (timestamp {@code ts}), an instance, in each bucket it owns (ascending): drops the opposite
 * side's elements older than {@code ts - within}, compares {@code t} with the rest (oldest first) and
 * emits each match with timestamp {@code ts} and lane = the bucket. Then, if it owns the bucket the
 * producer stamped on {@code t} (round robin, {@link RoundRobinBuckets}), it stores {@code t} there.
 * So each element is stored by exactly one instance, each pair is compared exactly once (by the owner of
 * the earlier element's bucket, when the later one arrives), and the work splits about 1/n without
 * routing anything.
 *
 * <h2>Determinism and reconfiguration</h2>
 * A bucket's content and its output sequence (lane = bucket) depend only on the input order and the
 * stamps, never on which instance owns the bucket: at every parallelism the output is the same sequence.
 * A reconfiguration changes owners at an agreed input position ({@link EpochSwitch}): every element up
 * to it was compared and stored under the old owners, every later one is handled by the new owners, which
 * find the buckets' stored elements where the old owners left them (shared memory, handed over by the
 * epoch barrier's happens-before edge). Nothing moves, and no counter has to be handed over: the round
 * robin counter lives with the producer's lane and its result travels in the tuple.
 *
 * <h2>SN mode ({@link #scanPartitioned})</h2>
 * The left side is routed to the owner of its bucket; the right side is broadcast: every instance gets
 * every right element and keeps all of them (its private {@code right} window). A left element is compared
 * with the whole right window, a right element with the left elements of each owned bucket, so each pair is
 * compared once, by the owner of the left element's bucket, and emitted in lane = that bucket: the same
 * pairs as VSN mode and the same sequence at every SN parallelism, though not in VSN mode's order within a
 * timestamp (VSN compares at the earlier element's bucket).
 *
 * <p>An element whose band value cannot be read is a bad record, reported once (by the owner of its
 * bucket) and neither stored nor compared. A pair the predicate or the join function throws on is a bad
 * record of its own. One per instance; not thread-safe.
 */
final class ScaleJoinScan {
    /** Where the scan's results and failures go, and whether it should stop early. */
    interface Host extends WindowOutput {
        boolean stopRequested();
    }

    private final ThetaJoin join;
    private final long within;
    private final double width;
    private long stored;
    private long comparisons;

    ScaleJoinScan(ThetaJoin join) {
        this.join = join;
        this.within = join.withinMillis();
        this.width = join.bandWidth();
    }

    /** Elements the last scan stored. */
    long stored() {
        return stored;
    }

    /** Comparisons made so far. */
    long comparisons() {
        return comparisons;
    }

    /**
     * VSN: processes tuples {@code [from, to)}; returns where it stopped ({@code to}, or a chunk boundary
     * when a stop was requested, with everything before it processed).
     */
    int scanShared(TupleBatch b, int from, int to, int side, byte[] mine, int[] owned, JoinBucket[] buckets, Host host) {
        long n = 0;
        int stride = from + OwnedTupleScan.CHUNK;
        int opp = 1 - side;
        int i = from;
        for (; i < to; i++) {
            if (i == stride) {
                stride += OwnedTupleScan.CHUNK;
                if (host.stopRequested()) {
                    break;
                }
            }
            long t = b.ts[i];
            Object v = b.value[i];
            int g = b.keyGroup[i];
            double x = 0;
            if (join.isBand()) {
                try {
                    x = band(side, v);
                } catch (Exception e) {
                    if (mine[g] != 0) {
                        host.recordFailed(v, t, "band value could not be read", e);
                    }
                    continue;
                }
            }
            long min = t - within;
            for (int bk : owned) {
                JoinBucket.Window w = buckets[bk].side(opp);
                if (w.size() == 0) {
                    continue;
                }
                w.expireBefore(min);
                compare(t, side, v, x, w, bk, host);
            }
            if (mine[g] != 0) {
                JoinBucket.Window own = buckets[g].side(side);
                own.expireBefore(min);
                own.add(t, x, v);
                n++;
            }
        }
        stored = n;
        return i;
    }

    /** SN: as {@link #scanShared}, with the left side partitioned and the right side broadcast (see the class comment). */
    int scanPartitioned(TupleBatch b, int from, int to, int side, byte[] mine, int[] owned, JoinBucket[] buckets,
            JoinBucket.Window right, Host host) {
        long n = 0;
        int stride = from + OwnedTupleScan.CHUNK;
        int i = from;
        for (; i < to; i++) {
            if (i == stride) {
                stride += OwnedTupleScan.CHUNK;
                if (host.stopRequested()) {
                    break;
                }
            }
            long t = b.ts[i];
            Object v = b.value[i];
            int g = b.keyGroup[i];
            double x = 0;
            if (join.isBand()) {
                try {
                    x = band(side, v);
                } catch (Exception e) {
                    if (mine[g] != 0) {
                        host.recordFailed(v, t, "band value could not be read", e);
                    }
                    continue;
                }
            }
            long min = t - within;
            if (side == 0) { // routed here: this instance owns bucket g
                right.expireBefore(min);
                compare(t, 0, v, x, right, g, host);
                JoinBucket.Window own = buckets[g].left;
                own.expireBefore(min);
                own.add(t, x, v);
                n++;
            } else {
                for (int bk : owned) {
                    JoinBucket.Window w = buckets[bk].left;
                    if (w.size() == 0) {
                        continue;
                    }
                    w.expireBefore(min);
                    compare(t, 1, v, x, w, bk, host);
                }
                right.expireBefore(min);
                right.add(t, x, v);
                if (mine[g] != 0) {
                    n++; // every instance keeps it; count it once
                }
            }
        }
        stored = n;
        return i;
    }

    private double band(int side, Object v) throws Exception {
        return side == 0 ? join.leftBand().get(v) : join.rightBand().get(v);
    }

    /** Compares element {@code v} of side {@code side} with every element of {@code w} (the other side), oldest first. */
    private void compare(long t, int side, Object v, double x, JoinBucket.Window w, int lane, Host host) {
        int size = w.size();
        comparisons += size;
        if (join.isBand()) {
            double[] col = w.bandColumn();
            int mask = w.mask();
            int head = w.head();
            double d = width;
            int firstEnd = Math.min(size, mask + 1 - head); // the ring's two contiguous stretches
            for (int k = 0; k < firstEnd; k++) {
                if (Math.abs(x - col[head + k]) <= d) {
                    emit(t, side, v, w.valueAt(head + k), lane, host);
                }
            }
            for (int k = 0, rest = size - firstEnd; k < rest; k++) {
                if (Math.abs(x - col[k]) <= d) {
                    emit(t, side, v, w.valueAt(k), lane, host);
                }
            }
            return;
        }
        for (int k = 0; k < size; k++) {
            Object o = w.valueAt(w.slot(k));
            Object l = side == 0 ? v : o;
            Object r = side == 0 ? o : v;
            boolean match;
            try {
                match = join.predicate().test(l, r);
            } catch (Exception e) {
                host.recordFailed(new Pair(l, r), t, "join predicate threw", e);
                continue;
            }
            if (match) {
                emitPair(t, l, r, lane, host);
            }
        }
    }

    private void emit(long t, int side, Object v, Object o, int lane, Host host) {
        if (side == 0) {
            emitPair(t, v, o, lane, host);
        } else {
            emitPair(t, o, v, lane, host);
        }
    }

    private void emitPair(long t, Object l, Object r, int lane, Host host) {
        Object out;
        try {
            out = join.join().join(l, r);
        } catch (Exception e) {
            host.recordFailed(new Pair(l, r), t, "join function threw", e);
            return;
        }
        host.emit(t, lane, out);
    }

    /** A failing pair as it appears in a dead letter: {@code (left, right)}. */
    record Pair(Object left, Object right) {
        @Override
        public String toString() {
            return "(" + left + ", " + right + ")";
        }
    }
}
