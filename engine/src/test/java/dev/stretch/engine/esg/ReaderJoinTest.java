package dev.stretch.engine.esg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A reader added at another reader's position (a new instance at a reconfiguration) while a writer is
 * working out its slowest reader: the writer must not refill a slot the new reader has not read, however
 * the two interleave. The interleaving that lost tuples is forced: the writer is paused after loading the
 * reader list and before reading the positions; meanwhile the reader joins and its template reads on.
 */
class ReaderJoinTest {

    @Test
    void shouldNotRefillASlotWhenAReaderJoinsWhileTheWriterLooksForItsSlowestReader() throws Exception {
        ElasticScaleGate g = new ElasticScaleGate("join", 2, 1);
        EsgWriter w = g.addWriter(0, Long.MIN_VALUE);
        EsgReader template = g.addReader();
        Backoff backoff = new Backoff();
        for (int i = 0; i < 2; i++) { // the ring is full: the writer's next claim looks for its slowest reader
            TupleBatch b = w.claim(WaitHook.NONE, backoff);
            b.add(i, 0, "t" + i);
            w.publish(i);
        }
        CountDownLatch loaded = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        CountDownLatch settled = new CountDownLatch(1); // the writer waits for room, or has written everything
        AtomicBoolean first = new AtomicBoolean(true);
        w.gatesLoadedHook = () -> {
            if (first.getAndSet(false)) {
                loaded.countDown();
                await(resume);
            }
        };
        Thread writer = new Thread(() -> {
            WaitHook hook = settled::countDown;
            for (int i = 2; i < 4; i++) {
                TupleBatch b = w.claim(hook, new Backoff());
                b.add(i, 0, "t" + i);
                w.publish(i);
            }
            w.close();
            settled.countDown();
        }, "writer");
        writer.setDaemon(true);
        writer.start();

        assertThat(loaded.await(10, TimeUnit.SECONDS)).isTrue();
        EsgReader joined = g.addReaderAt(template); // the template is paused: this thread drives it
        assertThat(readAvailable(template)).containsExactly("t0", "t1"); // and releases both slots
        resume.countDown();
        assertThat(settled.await(10, TimeUnit.SECONDS)).isTrue();

        List<Object> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (joined.watermark() != Long.MAX_VALUE && System.nanoTime() < deadline) {
            seen.addAll(readAvailable(joined));
        }
        assertThat(seen).as("what the joined reader saw").containsExactly("t0", "t1", "t2", "t3");
        writer.join(10_000);
    }

    private static List<Object> readAvailable(EsgReader r) {
        List<Object> out = new ArrayList<>();
        Run run = new Run();
        while (r.nextRun(run, Long.MAX_VALUE)) {
            for (int i = run.from; i < run.to; i++) {
                out.add(run.batch.value[i]);
            }
        }
        return out;
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not resumed");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
