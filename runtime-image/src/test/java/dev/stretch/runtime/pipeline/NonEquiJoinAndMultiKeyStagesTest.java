package dev.stretch.runtime.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.JobExecution;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.StreamJobReader;
import dev.stretch.runtime.RuntimeServices;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The declarative stages built on the general operator, run from job files on real generator records: a
 * band join and a theta join on a CEL predicate pair exactly the records a brute-force pass over the same
 * generated records pairs, in VSN and SN mode; a {@code keyByEach} window counts a record once for each
 * distinct element of its list field.
 */
@Timeout(120)
class NonEquiJoinAndMultiKeyStagesTest {
    private static final long START = 1_700_000_000_000L;

    /** Real sources (generators, fixed start); every sink collects into {@link #out} under its stage name. */
    private final Map<String, ConcurrentLinkedQueue<Object>> out = new ConcurrentHashMap<>();

    private ConnectorFactory connectors() {
        ConnectorFactory real = RuntimeServices.connectors(START);
        return new ConnectorFactory() {
            @Override
            public SourceBinding source(SourceSpec spec, String stageName) {
                return real.source(spec, stageName);
            }

            @Override
            public Sink<Object> sink(SinkSpec spec, String stageName) {
                ConcurrentLinkedQueue<Object> q = out.computeIfAbsent(stageName, k -> new ConcurrentLinkedQueue<>());
                return instance -> (SinkWriter<Object>) (element, timestamp) -> q.add(element);
            }

            @Override
            public Sink<DeadLetter> deadLetters(SinkSpec spec) {
                return instance -> (element, timestamp) -> out.computeIfAbsent("dead", k -> new ConcurrentLinkedQueue<>())
                        .add(element);
            }
        };
    }

    private void run(String yaml) throws Exception {
        StreamJobReader.Result r = StreamJobReader.read(yaml);
        assertThat(r.errors()).isEmpty();
        JobExecution job = new PipelineBuilder(r.manifest(), connectors(), null).build().execute(r.manifest().getMetadata().getName());
        assertThat(job.status()).isEqualTo(JobExecution.Status.FINISHED);
    }

    private static String sources(int limitA, int limitB) {
        return "    - {name: a, source: {generator: {seed: 3, keys: 50, valueMax: 2000, limit: " + limitA
                + ", paced: false, rate: {rate: 20000}}}}\n"
                + "    - {name: b, source: {generator: {seed: 4, keys: 50, valueMax: 2000, limit: " + limitB
                + ", paced: false, rate: {rate: 10000}}}}\n";
    }

    private static String job(String name, String mode, String body) {
        return "apiVersion: stretch.dev/v1alpha1\nkind: StreamJob\nmetadata: {name: " + name + "}\nspec:\n"
                + "  parallelism: {threads: {min: 1, max: 4, initial: 3}}\n"
                + "  engine: {mode: " + mode + "}\n  pipeline:\n" + body;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> records(String stage) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (Object o : out.getOrDefault(stage, new ConcurrentLinkedQueue<>())) {
            l.add((Map<String, Object>) o);
        }
        return l;
    }

    private static String pair(Map<String, Object> l, Map<String, Object> r) {
        return l.get("ts") + ":" + l.get("key") + ":" + l.get("value") + "|" + r.get("ts") + ":" + r.get("key") + ":" + r.get("value");
    }

    @SuppressWarnings("unchecked")
    private List<String> joined(String stage) {
        List<String> p = new ArrayList<>();
        for (Map<String, Object> m : records(stage)) {
            p.add(pair((Map<String, Object>) m.get("left"), (Map<String, Object>) m.get("right")));
        }
        p.sort(null);
        return p;
    }

    /** The pairs a brute-force pass over the generated records gives. */
    private List<String> reference(java.util.function.BiPredicate<Map<String, Object>, Map<String, Object>> match, long within)
            throws Exception {
        run(job("raw", "VSN", sources(6000, 3000) + "    - {name: ra, from: [a], sink: {stdout: {}}}\n"
                + "    - {name: rb, from: [b], sink: {stdout: {}}}\n"));
        List<String> ref = new ArrayList<>();
        for (Map<String, Object> l : records("ra")) {
            for (Map<String, Object> r : records("rb")) {
                if (Math.abs((Long) l.get("ts") - (Long) r.get("ts")) <= within && match.test(l, r)) {
                    ref.add(pair(l, r));
                }
            }
        }
        ref.sort(null);
        return ref;
    }

    @ParameterizedTest
    @ValueSource(strings = {"VSN", "SN"})
    void shouldPairWhatABruteForcePassPairsInABandJoin(String mode) throws Exception {
        List<String> ref = reference((l, r) -> Math.abs((Long) l.get("value") - (Long) r.get("value")) <= 3, 20);
        run(job("band", mode, sources(6000, 3000)
                + "    - {name: j, join: {left: a, right: b, band: {left: value, right: value, width: 3}, within: 20ms}}\n"
                + "    - {name: out, sink: {stdout: {}}}\n"));

        assertThat(ref).hasSizeGreaterThan(100);
        assertThat(joined("out")).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VSN", "SN"})
    void shouldPairWhatABruteForcePassPairsInAThetaJoinOnACelPredicate(String mode) throws Exception {
        List<String> ref = reference((l, r) -> (Long) l.get("key") < (Long) r.get("key")
                && ((Long) l.get("value") + (Long) r.get("value")) % 97 == 0, 15);
        run(job("theta", mode, sources(6000, 3000)
                + "    - {name: j, join: {left: a, right: b, predicate: \"left.key < right.key && (left.value + right.value) % 97 == 0\", within: 15ms}}\n"
                + "    - {name: out, sink: {stdout: {}}}\n"));

        assertThat(ref).hasSizeGreaterThan(100);
        assertThat(joined("out")).isEqualTo(ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"VSN", "SN"})
    void shouldCountARecordOnceForEachDistinctElementOfItsKeyList(String mode) throws Exception {
        run(job("raw", "VSN", sources(20000, 1) + "    - {name: ra, from: [a], sink: {stdout: {}}}\n"
                + "    - {name: rb, from: [b], sink: {stdout: {}}}\n"));
        Map<String, Long> ref = new HashMap<>();
        for (Map<String, Object> r : records("ra")) {
            long k = (Long) r.get("key");
            long w = Math.floorDiv((Long) r.get("ts"), 100) * 100;
            for (long cell : k % 5 == 0 ? new long[] {k % 7} : new long[] {k % 7, (k + 1) % 7, 100}) {
                ref.merge(cell + "@" + w, 1L, Long::sum);
            }
        }
        run(job("cells", mode, sources(20000, 1)
                + "    - {name: m, from: [a], map: {set: {touches: \"key % 5 == 0 ? [key % 7, key % 7] : [key % 7, (key + 1) % 7, 100]\"}}}\n"
                + "    - {name: w, window: {keyByEach: touches, size: 100ms, aggregate: {function: count, as: n}}}\n"
                + "    - {name: out, sink: {stdout: {}}}\n"
                + "    - {name: rb, from: [b], sink: {stdout: {}}}\n"));

        Map<String, Long> got = new HashMap<>();
        for (Map<String, Object> r : records("out")) {
            assertThat(got.put(r.get("touches") + "@" + r.get("window_start"), (Long) r.get("n"))).isNull();
        }
        assertThat(got).isEqualTo(ref);
    }
}
