package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.engine.esg.TupleBatch;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scan must do exactly what a tuple-by-tuple loop does (close every window ending at or before a
 * tuple's timestamp, then add the tuple if it is owned), whatever the window length, the run's start
 * within a chunk and the ownership pattern: window ends fall at every position of a chunk, including the
 * last tuple of a chunk opening the instance's first window.
 */
class OwnedTupleScanTest {
    private static final int RUN = 5 * OwnedTupleScan.CHUNK + 17;

    /** Who owns what: every tuple, none, alternate, chunk ends only, a random half, or a single one. */
    private static byte[][] masks(SplittableRandom rnd, int keyGroups) {
        byte[] all = new byte[keyGroups];
        byte[] none = new byte[keyGroups];
        byte[] odd = new byte[keyGroups];
        byte[] half = new byte[keyGroups];
        byte[] one = new byte[keyGroups];
        for (int g = 0; g < keyGroups; g++) {
            all[g] = 1;
            odd[g] = (byte) (g & 1);
            half[g] = (byte) rnd.nextInt(2);
        }
        one[3] = 1;
        return new byte[][] {all, none, odd, half, one};
    }

    @Test
    void shouldMatchATupleByTupleLoopWhereverWindowEndsFallInAChunk() {
        SplittableRandom rnd = new SplittableRandom(11);
        int keyGroups = 8;
        int checked = 0;
        for (long size = 1; size <= 2 * OwnedTupleScan.CHUNK + 3; size++) {
            for (long slide : new long[] {size, Math.max(1, size / 2), Math.max(1, size / 3)}) {
                if (size % slide != 0) {
                    continue;
                }
                for (int from : new int[] {0, 1, 62, 63}) {
                    for (int dup = 0; dup < 3; dup += 2) {
                        TupleBatch b = batch(rnd, from + RUN, keyGroups, dup, true);
                        for (byte[] mine : masks(rnd, keyGroups)) {
                            assertSameAsLoop(b, from, from + RUN, mine, size, slide, Integer.MAX_VALUE);
                            checked++;
                        }
                        TupleBatch ends = batch(rnd, from + RUN, keyGroups, dup, false); // owned: chunk ends only
                        assertSameAsLoop(ends, from, from + RUN, new byte[] {0, 1}, size, slide, Integer.MAX_VALUE);
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(3000);
    }

    @Test
    void shouldOpenTheFirstWindowAtTheLastTupleOfAChunkAndCloseItBeforeTheNextWindowsTuples() {
        // one tuple per ms; only the tuple at index 63 is owned before ts 100, then all are owned: the window
        // [63, 64) opens at the chunk's last tuple and must close before tuple 64 is added
        TupleBatch b = new TupleBatch(256);
        for (int i = 0; i < 200; i++) {
            b.add(i, i, null, (short) (i == 63 || i >= 100 ? 1 : 0), 0L);
        }
        Log log = new Log(1, 1);
        int end = new OwnedTupleScan().scan(b, 0, 200, 0, new byte[] {0, 1}, log);

        assertThat(end).isEqualTo(200);
        assertThat(log.violations).isEmpty();
        assertThat(log.events()).startsWith("add 63", "close 64", "add 100");
    }

    @Test
    void shouldStopOnlyAtChunkBoundariesWithEverythingBeforeTheStopProcessed() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int stopAfter = 0; stopAfter < 7; stopAfter++) {
            for (long size : new long[] {1, 13, 64, 65, 200}) {
                for (int from : new int[] {0, 40}) {
                    TupleBatch b = batch(rnd, from + RUN, 4, 1, true);
                    assertSameAsLoop(b, from, from + RUN, new byte[] {1, 0, 1, 1}, size, size, stopAfter);
                }
            }
        }
    }

    @Test
    void shouldAddAMultiKeyTupleForEachOwnedKeyExactlyAsATupleByTupleLoopWhereverWindowEndsFall() {
        SplittableRandom rnd = new SplittableRandom(29);
        int keyGroups = 8;
        int checked = 0;
        for (long size = 1; size <= 2 * OwnedTupleScan.CHUNK + 3; size++) {
            for (long slide : new long[] {size, Math.max(1, size / 2)}) {
                if (size % slide != 0) {
                    continue;
                }
                for (int from : new int[] {0, 1, 63}) {
                    for (int dup = 0; dup < 3; dup += 2) {
                        TupleBatch b = multiBatch(rnd, from + RUN, keyGroups, dup);
                        for (byte[] mine : masks(rnd, keyGroups)) {
                            assertMultiSameAsLoop(b, from, from + RUN, mine, size, slide, Integer.MAX_VALUE);
                            checked++;
                        }
                    }
                }
            }
        }
        for (int stopAfter = 0; stopAfter < 7; stopAfter++) {
            for (long size : new long[] {1, 13, 64, 65, 200}) {
                TupleBatch b = multiBatch(rnd, 40 + RUN, 4, 1);
                assertMultiSameAsLoop(b, 40, 40 + RUN, new byte[] {1, 0, 1, 1}, size, size, stopAfter);
            }
        }
        assertThat(checked).isGreaterThan(1500);
    }

    @Test
    void shouldOpenTheFirstWindowAtAMultiKeyTupleEndingAChunkAndCloseItBeforeTheNext() {
        // one tuple per ms with keys in groups {0, 2}, except tuple 63 ({0, 1}) and tuples from 100 on ({1, 1, 2}):
        // the instance owns group 1 only, so its first window [63, 64) opens at the chunk's last tuple
        TupleBatch b = new TupleBatch(256);
        for (int i = 0; i < 200; i++) {
            short[] g = i == 63 ? new short[] {0, 1} : i >= 100 ? new short[] {1, 1, 2} : new short[] {0, 2};
            b.addMulti(i, i, null, g.length, g, new long[g.length], null);
        }
        Log log = new Log(1, 1);
        OwnedTupleScan scan = new OwnedTupleScan();
        int end = scan.scanMulti(b, 0, 200, 0, new byte[] {0, 1, 0}, log);

        assertThat(end).isEqualTo(200);
        assertThat(log.violations).isEmpty();
        assertThat(log.codes.getLong(0)).isEqualTo(2L * ((63L << 24) | 127) + (1L << 50));
        assertThat(log.codes.getLong(1)).as("the window [63, 64) closes next").isEqualTo(2 * 64 + 1);
        assertThat(scan.added()).as("tuple 63 once, tuples 100..199 once per owned key (twice)").isEqualTo(1 + 200);
    }

    private static void assertMultiSameAsLoop(TupleBatch b, int from, int to, byte[] mine, long size, long slide,
            int stopAfter) {
        Log scanned = new Log(size, slide);
        scanned.stopAfter = stopAfter;
        OwnedTupleScan scan = new OwnedTupleScan();
        int end = scan.scanMulti(b, from, to, 0, mine, scanned);

        int expectedEnd = to;
        long boundary = from + (long) OwnedTupleScan.CHUNK * (stopAfter + 1L);
        if (stopAfter != Integer.MAX_VALUE && boundary < to) {
            expectedEnd = (int) boundary;
        }
        Log looped = new Log(size, slide);
        long owned = 0;
        for (int k = from; k < expectedEnd; k++) {
            if (looped.nextEnd() <= b.ts[k]) {
                looped.closeUpTo(b.ts[k]);
            }
            for (int j = b.keysFrom(k); j < b.keysEnd[k]; j++) {
                if (mine[b.multiGroup[j]] == 1) {
                    looped.addKey(b, k, j, 0);
                    owned++;
                }
            }
        }
        String what = "multi size " + size + " slide " + slide + " from " + from + " stopAfter " + stopAfter;
        assertThat(scanned.violations).as(what).isEmpty();
        assertThat(end).as(what).isEqualTo(expectedEnd);
        assertThat(scanned.codes.toLongArray()).as(what).isEqualTo(looped.codes.toLongArray());
        assertThat(scanned.adds).as(what).isEqualTo(owned);
        assertThat(scan.added()).as(what).isEqualTo(owned);
    }

    /** As {@link #batch}, each tuple with 0..3 keys in random key groups (a group may repeat: two keys, one group). */
    private static TupleBatch multiBatch(SplittableRandom rnd, int n, int keyGroups, int dup) {
        TupleBatch b = new TupleBatch(n);
        long ts = rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(10);
            if (r == 9) {
                ts += 1 + rnd.nextInt(40);
            } else if (r >= dup) {
                ts++;
            }
            int keys = rnd.nextInt(4);
            short[] g = new short[keys];
            for (int j = 0; j < keys; j++) {
                g[j] = (short) rnd.nextInt(keyGroups);
            }
            b.addMulti(ts, i, null, keys, g, new long[keys], null);
        }
        return b;
    }

    /** Runs the scan and the loop over the same input and compares what each did to the windows. */
    private static void assertSameAsLoop(TupleBatch b, int from, int to, byte[] mine, long size, long slide,
            int stopAfter) {
        Log scanned = new Log(size, slide);
        scanned.stopAfter = stopAfter;
        int end = new OwnedTupleScan().scan(b, from, to, 0, mine, scanned);

        int expectedEnd = to;
        long boundary = from + (long) OwnedTupleScan.CHUNK * (stopAfter + 1L);
        if (stopAfter != Integer.MAX_VALUE && boundary < to) {
            expectedEnd = (int) boundary;
        }
        Log looped = new Log(size, slide);
        long owned = 0;
        for (int k = from; k < expectedEnd; k++) {
            if (looped.nextEnd() <= b.ts[k]) {
                looped.closeUpTo(b.ts[k]);
            }
            if (mine[b.keyGroup[k]] == 1) {
                looped.add(b, k, 0);
                owned++;
            }
        }
        String what = "size " + size + " slide " + slide + " from " + from + " stopAfter " + stopAfter;
        assertThat(scanned.violations).as(what).isEmpty();
        assertThat(end).as(what).isEqualTo(expectedEnd);
        if (!java.util.Arrays.equals(scanned.codes.toLongArray(), looped.codes.toLongArray())) {
            assertThat(scanned.events()).as(what).isEqualTo(looped.events());
        }
        assertThat(scanned.adds).as(what).isEqualTo(owned);
    }

    /**
     * A sorted run: one tuple per ms, with repeated timestamps ({@code dup} > 0) and now and then a gap. Key
     * groups at random, or ({@code random == false}) group 1 for the last tuple of each chunk, else 0.
     */
    private static TupleBatch batch(SplittableRandom rnd, int n, int keyGroups, int dup, boolean random) {
        TupleBatch b = new TupleBatch(n);
        long ts = rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(10);
            if (r < dup) {
                ts += 0;
            } else if (r == 9) {
                ts += 1 + rnd.nextInt(40);
            } else {
                ts++;
            }
            short g = random ? (short) rnd.nextInt(keyGroups) : (short) (i % OwnedTupleScan.CHUNK == 63 ? 1 : 0);
            b.add(ts, i, null, g, 0L);
        }
        return b;
    }

    /**
     * Windows of {@code size} ms every {@code slide} ms over the owned tuples, recording what the scan asks
     * for. Its bookkeeping is the instance's: the next end is that of the earliest window holding data
     * (or none), a tuple at or past it must never be added before the window closes.
     */
    static final class Log implements OwnedTupleScan.OpenWindows {
        final long size;
        final long slide;
        /** What the scan did, in order: {@code 2k} for "add tuple k", {@code 2e + 1} for "close the window ending at e". */
        final LongArrayList codes = new LongArrayList();
        final List<String> violations = new ArrayList<>();
        long adds;
        /** Timestamps of the added tuples still in an open window, oldest first (adds come in time order). */
        final LongArrayList live = new LongArrayList();
        int liveHead;
        long nextEnd = OwnedTupleScan.NO_END;
        long lastClosed = Long.MIN_VALUE;
        int stopAfter = Integer.MAX_VALUE;
        int stopChecks;

        Log(long size, long slide) {
            this.size = size;
            this.slide = slide;
        }

        long firstEndContaining(long t) {
            return Math.floorDiv(t, slide) * slide + slide;
        }

        @Override
        public long nextEnd() {
            return nextEnd;
        }

        @Override
        public void add(TupleBatch batch, int k, int side) {
            long t = batch.ts[k];
            if (t >= nextEnd) {
                violations.add("tuple " + k + " at " + t + " added while the window ending at " + nextEnd + " is open");
            }
            codes.add(2L * k);
            adds++;
            live.add(t);
            if (nextEnd == OwnedTupleScan.NO_END) {
                nextEnd = firstEndContaining(t);
            }
        }

        @Override
        public void addKey(TupleBatch batch, int k, int j, int side) {
            long t = batch.ts[k];
            if (t >= nextEnd) {
                violations.add("tuple " + k + " key " + j + " at " + t + " added while the window ending at " + nextEnd
                        + " is open");
            }
            codes.add(2L * (((long) k << 24) | j) + (1L << 50));
            adds++;
            live.add(t);
            if (nextEnd == OwnedTupleScan.NO_END) {
                nextEnd = firstEndContaining(t);
            }
        }

        @Override
        public void closeUpTo(long ts) {
            while (nextEnd != OwnedTupleScan.NO_END && nextEnd <= ts) {
                long e = nextEnd;
                codes.add(2 * e + 1);
                lastClosed = e;
                while (liveHead < live.size() && live.getLong(liveHead) < e + slide - size) {
                    liveHead++; // in no later window
                }
                nextEnd = liveHead == live.size() ? OwnedTupleScan.NO_END
                        : Math.max(e + slide, firstEndContaining(live.getLong(liveHead)));
            }
        }

        List<String> events() {
            List<String> out = new ArrayList<>();
            for (long c : codes) {
                out.add((c & 1) == 0 ? "add " + (c >> 1) : "close " + (c >> 1));
            }
            return out;
        }

        @Override
        public boolean stopRequested() {
            return stopChecks++ >= stopAfter;
        }
    }
}
