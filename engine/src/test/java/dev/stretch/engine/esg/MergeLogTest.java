package dev.stretch.engine.esg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The merge is done once for all readers of a gate ({@link MergeLog}): a reader behind the tail takes its
 * runs from the log instead of merging the writers itself, sees exactly what it would have merged, and a
 * reader alone in its gate leaves the log. The concurrent cases are in {@link ElasticScaleGateStressTest}.
 */
class MergeLogTest {
    private final Backoff backoff = new Backoff();

    /** Two writers; {@link #fill} gives them tuples that interleave one by one (every run is one tuple). */
    private static List<EsgWriter> interleaved(ElasticScaleGate g) {
        return List.of(g.addWriter(0, Long.MIN_VALUE), g.addWriter(0, Long.MIN_VALUE));
    }

    private void fill(List<EsgWriter> ws, int n) {
        for (int w = 0; w < ws.size(); w++) {
            EsgWriter wr = ws.get(w);
            for (int i = 0; i < n; i++) {
                TupleBatch b = wr.claim(WaitHook.NONE, backoff);
                long ts = 2L * i + w;
                b.add(ts, TupleOrder.of(0, w, 0), "w" + w + "-" + i, (short) 0, ts);
                if (b.isFull()) {
                    wr.publish(ts);
                }
            }
            wr.close();
        }
    }

    /** Reads everything ready, one (ts) per tuple. */
    private static List<Long> drain(EsgReader r) {
        List<Long> out = new ArrayList<>();
        Run run = new Run();
        while (r.nextRun(run, Long.MAX_VALUE)) {
            for (int i = run.from; i < run.to; i++) {
                out.add(run.batch.ts[i]);
            }
        }
        return out;
    }

    @Test
    void shouldLetAReaderBehindTheTailFollowTheRunsAnotherReaderMerged() {
        ElasticScaleGate g = new ElasticScaleGate("follow", 64, 8, 256);
        List<EsgWriter> ws = interleaved(g);
        EsgReader a = g.addReader();
        EsgReader b = g.addReader();
        fill(ws, 100);

        List<Long> first = drain(a);
        List<Long> second = drain(b);

        assertThat(first).hasSize(200).isSorted();
        assertThat(second).isEqualTo(first);
        assertThat(a.runsMerged()).as("the reader at the tail merged every one-tuple run").isEqualTo(200);
        assertThat(b.runsMerged()).as("the reader behind it merged none").isZero();
        assertThat(a.watermark()).isEqualTo(Long.MAX_VALUE);
        assertThat(b.watermark()).isEqualTo(Long.MAX_VALUE);
        assertThat(g.writers()).as("both readers released everything: the closed writers left").isEmpty();
    }

    @Test
    void shouldMergeForItselfWhenAloneInTheGate() {
        ElasticScaleGate g = new ElasticScaleGate("alone", 64, 8);
        List<EsgWriter> ws = interleaved(g);
        EsgReader a = g.addReader();
        fill(ws, 50);

        assertThat(drain(a)).hasSize(100).isSorted();
        assertThat(a.followsSharedLog()).isFalse();
        assertThat(a.runsMerged()).isEqualTo(100);
    }

    @Test
    void shouldShareTheMergeWithAReaderAddedAtALoneReadersPosition() {
        ElasticScaleGate g = new ElasticScaleGate("join", 64, 8, 256);
        List<EsgWriter> ws = interleaved(g);
        EsgReader a = g.addReader();
        fill(ws, 60);
        Run run = new Run();
        List<Long> head = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // alone: merges for itself
            assertThat(a.nextRun(run, Long.MAX_VALUE)).isTrue();
            head.add(run.batch.ts[run.from]);
        }
        assertThat(a.followsSharedLog()).isFalse();

        EsgReader b = g.addReaderAt(a); // a reconfiguration adds an instance at a's position

        assertThat(a.followsSharedLog()).isTrue();
        assertThat(b.followsSharedLog()).isTrue();
        List<Long> restA = drain(a);
        long mergedByA = a.runsMerged();
        List<Long> restB = drain(b);
        assertThat(restB).isEqualTo(restA);
        assertThat(restA).hasSize(110).first().isEqualTo(10L);
        assertThat(mergedByA).isEqualTo(120);
        assertThat(b.runsMerged()).isZero();
    }

    @Test
    void shouldCutALogEntryAtAReadersLimitAndHandOutTheRestLater() {
        ElasticScaleGate g = new ElasticScaleGate("limit", 8, 16);
        EsgWriter w = g.addWriter(0, Long.MIN_VALUE);
        EsgReader a = g.addReader();
        EsgReader b = g.addReader();
        TupleBatch batch = w.claim(WaitHook.NONE, backoff);
        for (int i = 1; i <= 10; i++) {
            batch.add(i, TupleOrder.of(0, 0, 0), (Object) i, (short) 0, (long) i);
        }
        w.publish(10);
        Run run = new Run();
        assertThat(a.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(run.size()).as("one entry: the whole batch").isEqualTo(10);

        assertThat(b.nextRun(run, 4, Long.MAX_VALUE)).isTrue();
        assertThat(run.batch.ts[run.from]).isEqualTo(1);
        assertThat(run.size()).as("cut at the limit, everything at or below ts 4").isEqualTo(4);
        assertThat(b.nextRun(run, 4, Long.MAX_VALUE)).isFalse();
        assertThat(b.watermark()).as("complete up to just below the next tuple").isEqualTo(4);
        assertThat(b.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(run.batch.ts[run.from]).isEqualTo(5);
        assertThat(run.size()).isEqualTo(6);
        assertThat(b.runsMerged()).isZero();
    }

    @Test
    void shouldHoldTheReaderAtTheTailBackWhenTheLogIsFull() {
        ElasticScaleGate g = new ElasticScaleGate("full", 64, 8, 2);
        List<EsgWriter> ws = interleaved(g);
        EsgReader a = g.addReader();
        EsgReader b = g.addReader();
        fill(ws, 20);
        Run run = new Run();

        assertThat(a.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(a.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(a.nextRun(run, Long.MAX_VALUE)).as("two entries ahead of b: the log is full").isFalse();
        assertThat(a.watermark()).as("but what a has read is complete").isGreaterThanOrEqualTo(1);

        assertThat(b.nextRun(run, Long.MAX_VALUE)).isTrue();
        assertThat(b.nextRun(run, Long.MAX_VALUE)).isTrue(); // b is now on entry 1
        assertThat(a.nextRun(run, Long.MAX_VALUE)).as("entry 0's slot is free again").isTrue();
        assertThat(run.batch.ts[run.from]).isEqualTo(2);
    }
}
