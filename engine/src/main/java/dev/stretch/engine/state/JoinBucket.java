package dev.stretch.engine.state;

/**
 * One bucket of a theta join (ScaleJoin): the elements of each side that the bucket stores, oldest first.
 * An element is stored in exactly one bucket (chosen round robin by its producer) and a bucket is touched
 * only by the instance that owns it, so, like {@link KeyGroupState}, it lives in memory shared by the VSN
 * instances and a reconfiguration hands it over by changing its owner, never by copying.
 */
public final class JoinBucket {
    public final Window left = new Window();
    public final Window right = new Window();

    public Window side(int side) {
        return side == 0 ? left : right;
    }

    /** Stored elements of both sides (for tests and metrics). */
    public int size() {
        return left.size + right.size;
    }

    /**
     * One side's stored elements in arrival order (which is timestamp order): a ring of timestamps, band
     * values (for a band join; else unused) and elements. Expiry drops from the oldest end.
     */
    public static final class Window {
        private long[] ts = new long[16];
        private double[] band = new double[16];
        private Object[] value = new Object[16];
        private int head;
        private int size;
        private int mask = 15;

        public int size() {
            return size;
        }

        public void add(long t, double x, Object v) {
            if (size == ts.length) {
                grow();
            }
            int i = (head + size) & mask;
            ts[i] = t;
            band[i] = x;
            value[i] = v;
            size++;
        }

        /** Drops every element with a timestamp below {@code minTs}. */
        public void expireBefore(long minTs) {
            while (size > 0 && ts[head] < minTs) {
                value[head] = null;
                head = (head + 1) & mask;
                size--;
            }
        }

        /** The {@code i}-th oldest element's position in the columns ({@code 0 <= i < size}). */
        public int slot(int i) {
            return (head + i) & mask;
        }

        public long tsAt(int slot) {
            return ts[slot];
        }

        public double bandAt(int slot) {
            return band[slot];
        }

        public Object valueAt(int slot) {
            return value[slot];
        }

        /** The band column and the ring's first slot and mask, for a tight comparison loop. */
        public double[] bandColumn() {
            return band;
        }

        public int head() {
            return head;
        }

        public int mask() {
            return mask;
        }

        private void grow() {
            int n = ts.length * 2;
            long[] t2 = new long[n];
            double[] b2 = new double[n];
            Object[] v2 = new Object[n];
            for (int i = 0; i < size; i++) {
                int s = (head + i) & mask;
                t2[i] = ts[s];
                b2[i] = band[s];
                v2[i] = value[s];
            }
            ts = t2;
            band = b2;
            value = v2;
            head = 0;
            mask = n - 1;
        }
    }
}
