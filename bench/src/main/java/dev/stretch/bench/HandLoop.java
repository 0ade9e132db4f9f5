package dev.stretch.bench;

import java.util.Arrays;

/**
 * The practical limit: each workload as one hand-written, single-threaded loop over the pre-generated
 * columns, with keyed state in primitive arrays behind an open-addressing key index ({@link KeySlots}). No
 * framework, no queues, no objects per event. Each method returns {@code {outputs, checksum}} computed
 * exactly as the engines' sinks compute them.
 *
 * <p>Timestamps are {@code i / eventsPerMs}; a loop tests "{@code ts >= windowEnd}" as
 * "{@code i >= windowEnd · eventsPerMs}", the same comparison without a division per event.
 */
public final class HandLoop {
    private HandLoop() {
    }

    public static long[] run(Workload w, Dataset a, Dataset b, long n) {
        return switch (w) {
            case TUMBLING_COUNT -> tumblingCount(a, n);
            case SLIDING_AVG -> slidingAvg(a, n);
            case WINDOW_JOIN -> windowJoin(a, b, n);
            case PIPELINE_3 -> pipeline(a, n);
            case BAND_JOIN -> bandJoin(a, b, n);
            case MULTI_KEY_COUNT -> multiKeyCount(a, n);
        };
    }

    /**
     * Band join as one nested loop: each left event against the right events at most
     * {@link Workload#BAND_WITHIN_MS} apart (an index range, since both streams have the same density).
     */
    static long[] bandJoin(Dataset a, Dataset b, long n) {
        long epm = a.eventsPerMs();
        if (b.eventsPerMs() != epm) {
            throw new IllegalArgumentException("join inputs must have the same event-time density");
        }
        if (n > b.length()) {
            throw new IllegalArgumentException("the band join's hand loop reads the columns directly: at most "
                    + b.length() + " events");
        }
        int[] bValues = b.valueColumn();
        long outs = 0;
        long sum = 0;
        int w = (int) Workload.BAND_WIDTH;
        for (long i = 0; i < n; i++) {
            long ts = i / epm;
            int av = a.value(i);
            int lo = (int) Math.max(0, (ts - Workload.BAND_WITHIN_MS) * epm);
            int hi = (int) Math.min(n, (ts + Workload.BAND_WITHIN_MS + 1) * epm);
            for (int j = lo; j < hi; j++) {
                int bv = bValues[j];
                if (Math.abs(av - bv) <= w) {
                    outs++;
                    sum += Checksums.ofBand(Math.max(ts, j / epm), a.key(i), b.key(j), av, bv);
                }
            }
        }
        return new long[] {outs, sum};
    }

    /** Keyed count per tumbling 100 ms window, each event counted for each of its {@link Workload#MULTI_KEYS} keys. */
    static long[] multiKeyCount(Dataset d, long n) {
        long epm = d.eventsPerMs();
        int keyCount = d.keyCount();
        KeySlots index = new KeySlots(1024);
        long[] slotKey = new long[1024];
        long[] count = new long[1024];
        int[] touched = new int[1024];
        int nt = 0;
        long end = 100;
        long boundary = end * epm;
        long outs = 0;
        long sum = 0;
        for (long i = 0; i < n; i++) {
            if (i >= boundary) {
                for (int t = 0; t < nt; t++) {
                    int s = touched[t];
                    sum += Checksums.of(end, slotKey[s], count[s]);
                    count[s] = 0;
                }
                outs += nt;
                nt = 0;
                end = (i / epm) / 100 * 100 + 100;
                boundary = end * epm;
            }
            long key = d.key(i);
            long value = d.value(i);
            for (int j = 0; j < Workload.MULTI_KEYS; j++) {
                long k = Workload.multiKey(j, key, value, keyCount);
                int s = index.slotOf(k);
                if (s == count.length) {
                    count = Arrays.copyOf(count, s * 2);
                    slotKey = Arrays.copyOf(slotKey, s * 2);
                    touched = Arrays.copyOf(touched, s * 2);
                }
                slotKey[s] = k;
                if (count[s]++ == 0) {
                    touched[nt++] = s;
                }
            }
        }
        for (int t = 0; t < nt; t++) {
            int s = touched[t];
            sum += Checksums.of(end, slotKey[s], count[s]);
        }
        outs += nt;
        return new long[] {outs, sum};
    }

    /** Keyed count per tumbling 100 ms window. */
    static long[] tumblingCount(Dataset d, long n) {
        int[] keys = d.keyColumn();
        long epm = d.eventsPerMs();
        KeySlots index = new KeySlots(1024);
        long[] slotKey = new long[1024];
        long[] count = new long[1024];
        int[] touched = new int[1024];
        int nt = 0;
        long end = 100;
        long boundary = end * epm;
        long outs = 0;
        long sum = 0;
        int len = keys.length;
        for (long base = 0; base < n; base += len) {
            int m = (int) Math.min(len, n - base);
            for (int j = 0; j < m; j++) {
                long i = base + j;
                if (i >= boundary) {
                    for (int t = 0; t < nt; t++) {
                        int s = touched[t];
                        sum += Checksums.of(end, slotKey[s], count[s]);
                        count[s] = 0;
                    }
                    outs += nt;
                    nt = 0;
                    end = (i / epm) / 100 * 100 + 100;
                    boundary = end * epm;
                }
                long key = keys[j];
                int s = index.slotOf(key);
                if (s == count.length) {
                    count = Arrays.copyOf(count, s * 2);
                    slotKey = Arrays.copyOf(slotKey, s * 2);
                    touched = Arrays.copyOf(touched, s * 2);
                }
                slotKey[s] = key;
                if (count[s]++ == 0) {
                    touched[nt++] = s;
                }
            }
        }
        for (int t = 0; t < nt; t++) {
            int s = touched[t];
            sum += Checksums.of(end, slotKey[s], count[s]);
        }
        outs += nt;
        return new long[] {outs, sum};
    }

    /**
     * Keyed average over sliding windows of 1000 ms every 100 ms, pane by pane: each key keeps a ring of
     * ten 100 ms partial (sum, count) pairs; when event time leaves pane {@code p}, the window ending at
     * {@code (p + 1) · 100} is the sum of the ring's panes {@code p − 9 … p}, for every key with data in
     * them.
     */
    static long[] slidingAvg(Dataset d, long n) {
        final int panes = 10;
        final long paneMs = 100;
        int[] keys = d.keyColumn();
        int[] values = d.valueColumn();
        long epm = d.eventsPerMs();
        SlidingState st = new SlidingState(1024, panes);
        long pane = 0;
        long boundary = (pane + 1) * paneMs * epm;
        long[] res = new long[2];
        int len = keys.length;
        for (long base = 0; base < n; base += len) {
            int m = (int) Math.min(len, n - base);
            for (int j = 0; j < m; j++) {
                long i = base + j;
                if (i >= boundary) {
                    long np = (i / epm) / paneMs;
                    while (pane < np) {
                        st.emit(pane, paneMs, res);
                        pane++;
                    }
                    boundary = (pane + 1) * paneMs * epm;
                }
                st.add(keys[j], values[j], pane);
            }
        }
        for (int k = 0; k < panes; k++) {
            st.emit(pane + k, paneMs, res);
        }
        return res;
    }

    /** Per-key pane rings of the sliding average. */
    private static final class SlidingState {
        private final int panes;
        private final KeySlots index;
        private long[] slotKey;
        private long[] paneId;
        private long[] paneSum;
        private long[] paneCount;
        private long[] lastPane;
        private boolean[] active;
        private int[] activeList;
        private int activeCount;

        SlidingState(int cap, int panes) {
            this.panes = panes;
            index = new KeySlots(cap);
            slotKey = new long[cap];
            paneId = new long[cap * panes];
            Arrays.fill(paneId, Long.MIN_VALUE);
            paneSum = new long[cap * panes];
            paneCount = new long[cap * panes];
            lastPane = new long[cap];
            active = new boolean[cap];
            activeList = new int[cap];
        }

        void add(long key, long value, long pane) {
            int s = index.slotOf(key);
            if (s == slotKey.length) {
                grow(s * 2);
            }
            slotKey[s] = key;
            int r = s * panes + (int) (pane % panes);
            if (paneId[r] != pane) {
                paneId[r] = pane;
                paneSum[r] = 0;
                paneCount[r] = 0;
            }
            paneSum[r] += value;
            paneCount[r]++;
            lastPane[s] = pane;
            if (!active[s]) {
                active[s] = true;
                activeList[activeCount++] = s;
            }
        }

        /** Emits the window that ends when pane {@code p} ends; forgets keys with no data in it. */
        void emit(long p, long paneMs, long[] res) {
            long end = (p + 1) * paneMs;
            long first = p - panes + 1;
            int kept = 0;
            for (int t = 0; t < activeCount; t++) {
                int s = activeList[t];
                if (lastPane[s] < first) {
                    active[s] = false;
                    continue;
                }
                activeList[kept++] = s;
                long sum = 0;
                long cnt = 0;
                int base = s * panes;
                for (int r = base; r < base + panes; r++) {
                    long id = paneId[r];
                    if (id >= first && id <= p) {
                        sum += paneSum[r];
                        cnt += paneCount[r];
                    }
                }
                res[0]++;
                res[1] += Checksums.ofAverage(end, slotKey[s], (double) sum / cnt);
            }
            activeCount = kept;
        }

        private void grow(int cap) {
            slotKey = Arrays.copyOf(slotKey, cap);
            int old = paneId.length;
            paneId = Arrays.copyOf(paneId, cap * panes);
            Arrays.fill(paneId, old, paneId.length, Long.MIN_VALUE);
            paneSum = Arrays.copyOf(paneSum, cap * panes);
            paneCount = Arrays.copyOf(paneCount, cap * panes);
            lastPane = Arrays.copyOf(lastPane, cap);
            active = Arrays.copyOf(active, cap);
            activeList = Arrays.copyOf(activeList, cap);
        }
    }

    /**
     * Window join, window by window: A's events of the window are chained per key, then each B event
     * walks its key's chain. Both streams have the same event-time density, so window {@code w} is index
     * range {@code [w·100·epm, (w+1)·100·epm)} in both.
     */
    static long[] windowJoin(Dataset a, Dataset b, long n) {
        long epm = a.eventsPerMs();
        if (b.eventsPerMs() != epm) {
            throw new IllegalArgumentException("join inputs must have the same event-time density");
        }
        int perWindow = (int) (100 * epm);
        KeySlots index = new KeySlots(1024);
        int[] head = new int[1024];
        long[] headWindow = new long[1024];
        Arrays.fill(headWindow, -1);
        int[] next = new int[perWindow];
        int[] aValue = new int[perWindow];
        long outs = 0;
        long sum = 0;
        for (long lo = 0, w = 0; lo < n; lo += perWindow, w++) {
            int m = (int) Math.min(perWindow, n - lo);
            long end = w * 100 + 100;
            for (int j = 0; j < m; j++) {
                int s = index.slotOf(a.key(lo + j));
                if (s == head.length) {
                    head = Arrays.copyOf(head, s * 2);
                    int old = headWindow.length;
                    headWindow = Arrays.copyOf(headWindow, s * 2);
                    Arrays.fill(headWindow, old, headWindow.length, -1);
                }
                if (headWindow[s] != w) {
                    headWindow[s] = w;
                    head[s] = -1;
                }
                next[j] = head[s];
                head[s] = j;
                aValue[j] = a.value(lo + j);
            }
            for (int j = 0; j < m; j++) {
                long key = b.key(lo + j);
                int s = index.find(key);
                if (s < 0 || headWindow[s] != w) {
                    continue;
                }
                long bv = b.value(lo + j);
                for (int x = head[s]; x >= 0; x = next[x]) {
                    outs++;
                    sum += Checksums.of(end, key, aValue[x], bv);
                }
            }
        }
        return new long[] {outs, sum};
    }

    /**
     * map → keyed 100 ms sum → keyed (key mod 100) 1000 ms sum. A first-stage result of the window ending
     * at {@code e} has timestamp {@code e − 1}, so it belongs to the second-stage window ending at
     * {@code ((e − 1) / 1000 + 1) · 1000}; first-stage windows close in order, so a result for a later
     * second-stage window means the earlier one is complete.
     */
    static long[] pipeline(Dataset d, long n) {
        int[] keys = d.keyColumn();
        int[] values = d.valueColumn();
        long epm = d.eventsPerMs();
        PipelineState st = new PipelineState(1024);
        long end = 100;
        long boundary = end * epm;
        int len = keys.length;
        for (long base = 0; base < n; base += len) {
            int m = (int) Math.min(len, n - base);
            for (int j = 0; j < m; j++) {
                long i = base + j;
                if (i >= boundary) {
                    st.closeFirst(end);
                    end = (i / epm) / 100 * 100 + 100;
                    boundary = end * epm;
                }
                st.add(keys[j], values[j] * 2L + 1);
            }
        }
        st.closeFirst(end);
        st.closeSecond();
        return st.res;
    }

    /** Both stages' state of pipeline-3. */
    private static final class PipelineState {
        private final KeySlots index;
        private long[] slotKey;
        private long[] sum1;
        private boolean[] seen1;
        private int[] touched;
        private int nt;
        private final long[] sum2 = new long[100];
        private final boolean[] seen2 = new boolean[100];
        private long end2 = Long.MIN_VALUE;
        final long[] res = new long[2];

        PipelineState(int cap) {
            index = new KeySlots(cap);
            slotKey = new long[cap];
            sum1 = new long[cap];
            seen1 = new boolean[cap];
            touched = new int[cap];
        }

        void add(long key, long mapped) {
            int s = index.slotOf(key);
            if (s == sum1.length) {
                sum1 = Arrays.copyOf(sum1, s * 2);
                seen1 = Arrays.copyOf(seen1, s * 2);
                slotKey = Arrays.copyOf(slotKey, s * 2);
                touched = Arrays.copyOf(touched, s * 2);
            }
            slotKey[s] = key;
            if (!seen1[s]) {
                seen1[s] = true;
                touched[nt++] = s;
            }
            sum1[s] += mapped;
        }

        /** The first stage's window ending at {@code end} closes; its sums go to the second stage. */
        void closeFirst(long end) {
            if (nt == 0) {
                return;
            }
            long e2 = ((end - 1) / 1000 + 1) * 1000;
            if (e2 != end2) {
                closeSecond();
                end2 = e2;
            }
            for (int t = 0; t < nt; t++) {
                int s = touched[t];
                int k2 = (int) (slotKey[s] % 100);
                sum2[k2] += sum1[s];
                seen2[k2] = true;
                sum1[s] = 0;
                seen1[s] = false;
            }
            nt = 0;
        }

        void closeSecond() {
            for (int k = 0; k < sum2.length; k++) {
                if (seen2[k]) {
                    res[0]++;
                    res[1] += Checksums.of(end2, k, sum2[k]);
                    sum2[k] = 0;
                    seen2[k] = false;
                }
            }
        }
    }
}
