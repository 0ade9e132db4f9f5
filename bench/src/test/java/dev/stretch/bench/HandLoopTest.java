package dev.stretch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hand loops against a brute-force statement of each workload's semantics (maps, no tricks). */
class HandLoopTest {

    @ParameterizedTest
    @CsvSource({"TUMBLING_COUNT,false", "TUMBLING_COUNT,true", "SLIDING_AVG,false", "SLIDING_AVG,true",
        "WINDOW_JOIN,false", "WINDOW_JOIN,true", "PIPELINE_3,false", "PIPELINE_3,true", "BAND_JOIN,false",
        "MULTI_KEY_COUNT,false", "MULTI_KEY_COUNT,true"})
    void shouldComputeWhatTheWorkloadDefines(Workload w, boolean zipf) {
        long n = 30_000;
        if (w == Workload.BAND_JOIN) { // brute force is quadratic; the loop reads whole columns
            n = 4_000;
            Dataset a = Dataset.generate(Workload.SEED_A, 300, zipf, n, 10);
            Dataset b = Dataset.generate(Workload.SEED_B, 300, zipf, n, 10);
            long[] got = HandLoop.run(w, a, b, n);
            assertThat(got[0]).isGreaterThan(100);
            assertThat(got).containsExactly(bruteForce(w, a, b, n));
            return;
        }
        long epm = w == Workload.WINDOW_JOIN ? 5 : 20;
        // columns shorter than the run: the loops must cycle through them exactly like the sources do
        Dataset a = Dataset.generate(Workload.SEED_A, 300, zipf, 7_000, epm);
        Dataset b = Dataset.generate(Workload.SEED_B, 300, zipf, 7_000, epm);
        assertThat(HandLoop.run(w, a, b, n)).containsExactly(bruteForce(w, a, b, n));
    }

    static long[] bruteForce(Workload w, Dataset a, Dataset b, long n) {
        long outs = 0;
        long sum = 0;
        switch (w) {
            case TUMBLING_COUNT -> {
                Map<List<Long>, Long> m = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    m.merge(List.of(a.ts(i) / 100 * 100 + 100, (long) a.key(i)), 1L, Long::sum);
                }
                for (var e : m.entrySet()) {
                    outs++;
                    sum += Checksums.of(e.getKey().get(0), e.getKey().get(1), e.getValue());
                }
            }
            case SLIDING_AVG -> {
                Map<List<Long>, long[]> m = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    long ts = a.ts(i);
                    for (long start = ts - Math.floorMod(ts, 100); start > ts - 1000; start -= 100) {
                        long[] acc = m.computeIfAbsent(List.of(start + 1000, (long) a.key(i)), k -> new long[2]);
                        acc[0] += a.value(i);
                        acc[1]++;
                    }
                }
                for (var e : m.entrySet()) {
                    outs++;
                    sum += Checksums.ofAverage(e.getKey().get(0), e.getKey().get(1), (double) e.getValue()[0] / e.getValue()[1]);
                }
            }
            case WINDOW_JOIN -> {
                Map<List<Long>, List<Long>> left = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    left.computeIfAbsent(List.of(a.ts(i) / 100 * 100 + 100, (long) a.key(i)), k -> new ArrayList<>())
                            .add((long) a.value(i));
                }
                for (long i = 0; i < n; i++) {
                    List<Long> key = List.of(b.ts(i) / 100 * 100 + 100, (long) b.key(i));
                    for (long av : left.getOrDefault(key, List.of())) {
                        outs++;
                        sum += Checksums.of(key.get(0), key.get(1), av, b.value(i));
                    }
                }
            }
            case BAND_JOIN -> {
                for (long i = 0; i < n; i++) {
                    for (long j = 0; j < n; j++) {
                        if (Math.abs(a.ts(i) - b.ts(j)) <= Workload.BAND_WITHIN_MS
                                && Math.abs(a.value(i) - b.value(j)) <= Workload.BAND_WIDTH) {
                            outs++;
                            sum += Checksums.ofBand(Math.max(a.ts(i), b.ts(j)), a.key(i), b.key(j), a.value(i), b.value(j));
                        }
                    }
                }
            }
            case MULTI_KEY_COUNT -> {
                Map<List<Long>, Long> m = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    java.util.Set<Long> keys = new java.util.HashSet<>(List.of((long) a.key(i), (long) a.key(i) + 300,
                            600L + a.value(i) % 64));
                    for (long k : keys) {
                        m.merge(List.of(a.ts(i) / 100 * 100 + 100, k), 1L, Long::sum);
                    }
                }
                for (var e : m.entrySet()) {
                    outs++;
                    sum += Checksums.of(e.getKey().get(0), e.getKey().get(1), e.getValue());
                }
            }
            case PIPELINE_3 -> {
                Map<List<Long>, Long> first = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    first.merge(List.of(a.ts(i) / 100 * 100 + 100, (long) a.key(i)), a.value(i) * 2L + 1, Long::sum);
                }
                Map<List<Long>, Long> second = new HashMap<>();
                for (var e : first.entrySet()) {
                    long ts = e.getKey().get(0) - 1;
                    second.merge(List.of(ts / 1000 * 1000 + 1000, e.getKey().get(1) % 100), e.getValue(), Long::sum);
                }
                for (var e : second.entrySet()) {
                    outs++;
                    sum += Checksums.of(e.getKey().get(0), e.getKey().get(1), e.getValue());
                }
            }
        }
        return new long[] {outs, sum};
    }
}
