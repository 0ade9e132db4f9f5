package dev.stretch.engine.esg;

/**
 * The tie-break among tuples with equal timestamps, packed in one non-negative {@code long}:
 * {@code stage (7 bits) | lane (16 bits) | sequence (40 bits)}.
 *
 * <ul>
 *   <li><b>stage</b>: the job-wide index of the stage that produced the tuple, so two upstream stages
 *       feeding one gate (the two inputs of a join) never tie;</li>
 *   <li><b>lane</b>: the producer's logical sub-stream: a source split, or the key group an operator
 *       emitted for. Lanes, unlike threads, do not change with parallelism;</li>
 *   <li><b>sequence</b>: the position among tuples of the same (timestamp, stage, lane), counted by the
 *       lane's owner in state that moves with the lane.</li>
 * </ul>
 *
 * Every stream in a job is ordered by (timestamp, order), and (timestamp, order) is unique, so the
 * merge of any set of writers is one sequence whatever the number of threads: this is what makes
 * results identical at every parallelism.
 */
public final class TupleOrder {
    public static final int MAX_STAGES = 1 << 7;
    public static final int MAX_LANES = 1 << 16;
    public static final long MAX_SEQUENCE = (1L << 40) - 1;

    private TupleOrder() {
    }

    public static long of(int stage, int lane, long sequence) {
        return ((long) stage << 56) | ((long) lane << 40) | sequence;
    }

    public static int stage(long order) {
        return (int) (order >>> 56);
    }

    public static int lane(long order) {
        return (int) ((order >>> 40) & 0xFFFF);
    }

    public static long sequence(long order) {
        return order & MAX_SEQUENCE;
    }

    /** Compares (ts1, o1) with (ts2, o2). */
    public static int compare(long ts1, long o1, long ts2, long o2) {
        int c = Long.compare(ts1, ts2);
        return c != 0 ? c : Long.compare(o1, o2);
    }
}
