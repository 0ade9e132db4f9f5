package dev.stretch.engine.esg;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A writer's input must be sorted by (timestamp, order) and above the progress it has announced; the
 * public write path ({@link EsgWriter#claim}, {@link TupleBatch#add}, {@link EsgWriter#publish},
 * {@link EsgWriter#heartbeat}) refuses anything else, in production too. The cases run in a class loader
 * with assertions disabled, as a production JVM runs, so that an {@code assert} cannot pass for the check.
 */
class WriterOrderTest {

    @Test
    void shouldRefuseOutOfOrderTuplesWithAssertionsDisabled() throws Exception {
        try (URLClassLoader production = withoutAssertions()) {
            Class<?> cases = production.loadClass(Cases.class.getName());
            assertThat(cases.desiredAssertionStatus()).as("assertions in the production loader").isFalse();
            @SuppressWarnings("unchecked")
            List<String> outcomes = (List<String>) cases.getMethod("run").invoke(null);
            assertThat(outcomes).containsExactly(
                    "at progress: refused: writer w/w0: tuple at 10 (order 0x0) is at or below the progress"
                            + " the writer announced (10)",
                    "above progress: accepted",
                    "going back: refused: writer w/w0: tuple at 4 (order 0x0) is not after the writer's"
                            + " previous tuple at 5 (order 0x0)",
                    "same timestamp, same order: refused: writer w/w0: tuple at 5 (order 0x7) is not after"
                            + " the writer's previous tuple at 5 (order 0x7)",
                    "same timestamp, higher order: accepted",
                    "across batches: refused: writer w/w0: tuple at 20 (order 0x3) is not after the writer's"
                            + " previous tuple at 20 (order 0x3)",
                    "at a heartbeat: refused: writer w/w0: tuple at 30 (order 0x0) is at or below the progress"
                            + " the writer announced (30)",
                    "heartbeat over held tuples: refused: writer w/w0 announces progress 40 while it"
                            + " still holds an unpublished tuple at 40",
                    "at the start progress: refused: writer w/w0: tuple at 100 (order 0x0) is at or below the"
                            + " progress the writer announced (100)");
        }
    }

    private static URLClassLoader withoutAssertions() {
        URL main = EsgWriter.class.getProtectionDomain().getCodeSource().getLocation();
        URL test = WriterOrderTest.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader l = new URLClassLoader(new URL[] {main, test}, ClassLoader.getPlatformClassLoader());
        l.setDefaultAssertionStatus(false);
        return l;
    }

    /** The cases, loaded without assertions; each reports "accepted" or "refused: message". */
    public static final class Cases {
        public static List<String> run() {
            return List.of(
                    outcome("at progress", () -> {
                        EsgWriter w = writer(Long.MIN_VALUE);
                        publish(w, 9, 0, 10); // announces 10
                        w.claim(WaitHook.NONE, new Backoff()).add(10, 0, "x");
                    }),
                    outcome("above progress", () -> {
                        EsgWriter w = writer(Long.MIN_VALUE);
                        publish(w, 9, 0, 10);
                        w.claim(WaitHook.NONE, new Backoff()).add(11, 0, "x");
                    }),
                    outcome("going back", () -> {
                        TupleBatch b = writer(Long.MIN_VALUE).claim(WaitHook.NONE, new Backoff());
                        b.add(5, 0, "a");
                        b.add(4, 0, "b");
                    }),
                    outcome("same timestamp, same order", () -> {
                        TupleBatch b = writer(Long.MIN_VALUE).claim(WaitHook.NONE, new Backoff());
                        b.add(5, 7, "a");
                        b.add(5, 7, "b");
                    }),
                    outcome("same timestamp, higher order", () -> {
                        TupleBatch b = writer(Long.MIN_VALUE).claim(WaitHook.NONE, new Backoff());
                        b.add(5, 7, "a");
                        b.add(5, 8, "b");
                    }),
                    outcome("across batches", () -> {
                        EsgWriter w = writer(Long.MIN_VALUE);
                        publish(w, 20, 3, 19);
                        w.claim(WaitHook.NONE, new Backoff()).add(20, 3, "x");
                    }),
                    outcome("at a heartbeat", () -> {
                        EsgWriter w = writer(Long.MIN_VALUE);
                        w.heartbeat(30);
                        w.claim(WaitHook.NONE, new Backoff()).add(30, 0, "x");
                    }),
                    outcome("heartbeat over held tuples", () -> {
                        EsgWriter w = writer(Long.MIN_VALUE);
                        w.claim(WaitHook.NONE, new Backoff()).add(40, 0, "x");
                        w.heartbeat(40);
                    }),
                    outcome("at the start progress", () -> {
                        EsgWriter w = writer(100);
                        w.claim(WaitHook.NONE, new Backoff()).add(100, 0, "x");
                    }));
        }

        private static EsgWriter writer(long start) {
            ElasticScaleGate g = new ElasticScaleGate("w", 4, 8);
            EsgWriter w = g.addWriter(0, start);
            g.addReader();
            return w;
        }

        private static void publish(EsgWriter w, long ts, long order, long progress) {
            w.claim(WaitHook.NONE, new Backoff()).add(ts, order, "p");
            w.publish(progress);
        }

        private static String outcome(String name, Runnable r) {
            try {
                r.run();
                return name + ": accepted";
            } catch (IllegalArgumentException | IllegalStateException e) {
                return name + ": refused: " + e.getMessage();
            } catch (Throwable t) {
                return name + ": " + t;
            }
        }
    }
}
