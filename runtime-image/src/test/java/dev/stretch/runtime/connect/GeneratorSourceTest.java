package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.stretch.api.ReadResult;
import dev.stretch.api.SplitReader;
import dev.stretch.model.GeneratorSpec;
import dev.stretch.model.RateProfile;
import dev.stretch.model.RateSpec;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorSourceTest {
    private static final long JOB_START = 1_700_000_000_000L;
    private static final long START_TIME = 1_600_000_000_000L;

    private final AtomicLong wallMillis = new AtomicLong(JOB_START);
    private final InstantSource wallClock = () -> Instant.ofEpochMilli(wallMillis.get());

    private static GeneratorSpec unpaced(long seed, long limit) {
        GeneratorSpec g = new GeneratorSpec();
        g.setSeed(seed);
        g.setLimit(limit);
        g.setPaced(false);
        g.setStartTime(START_TIME);
        return g;
    }

    private static RateSpec constant(double rate) {
        RateSpec r = new RateSpec();
        r.setRate(rate);
        return r;
    }

    private static RecordingOutput drain(GeneratorSource source, int split, int splits) throws Exception {
        return RecordingOutput.drain(source.createReader(split, splits), 100_000);
    }

    @Test
    void shouldEmitTheSameRecordsAndTimestampsPerSplitWhenTheSpecIsTheSame() throws Exception {
        GeneratorSpec spec = unpaced(42, 30_000);
        spec.setRate(constant(7_000));
        spec.setSkew(0.8);
        for (int split = 0; split < 3; split++) {
            RecordingOutput first = drain(new GeneratorSource(spec, JOB_START), split, 3);
            RecordingOutput second = drain(new GeneratorSource(spec, JOB_START + 12_345), split, 3);

            assertThat(second.emitted).hasSize(10_000).isEqualTo(first.emitted);
        }
    }

    @Test
    void shouldEmitTheSameRecordsPacedAsUnpacedWhenTheWallClockAdvancesUnevenly() throws Exception {
        GeneratorSpec spec = unpaced(7, 2_000);
        spec.setRate(constant(1_000));
        RecordingOutput unpaced = drain(new GeneratorSource(spec, JOB_START), 1, 2);

        spec.setPaced(true);
        SplitReader<Map<String, Object>> reader = new GeneratorSource(spec, JOB_START, wallClock).createReader(1, 2);
        RecordingOutput paced = new RecordingOutput();
        long[] steps = {0, 3, 170, 1, 999, 37, 2_000, 5};
        for (int i = 0; !reader.read(paced).isEnd(); i++) {
            wallMillis.addAndGet(steps[i % steps.length]);
        }

        assertThat(paced.emitted).hasSize(1_000).isEqualTo(unpaced.emitted);
    }

    @Test
    void shouldEmitDifferentRecordsWhenTheSeedsDiffer() throws Exception {
        RecordingOutput a = drain(new GeneratorSource(unpaced(1, 1_000), JOB_START), 0, 1);
        RecordingOutput b = drain(new GeneratorSource(unpaced(2, 1_000), JOB_START), 0, 1);

        assertThat(a.timestamps()).isEqualTo(b.timestamps());
        assertThat(a.records()).isNotEqualTo(b.records());
    }

    @Test
    void shouldEmitDifferentRecordsOnDifferentSplits() throws Exception {
        GeneratorSource source = new GeneratorSource(unpaced(1, 2_000), JOB_START);

        assertThat(drain(source, 0, 2).records()).isNotEqualTo(drain(source, 1, 2).records());
    }

    @Test
    void shouldEmitLongTsKeyAndValueFieldsInRangeWhenDrawingRecords() throws Exception {
        GeneratorSpec spec = unpaced(3, 5_000);
        spec.setKeys(10);
        spec.setValueMax(100_000L);
        RecordingOutput out = drain(new GeneratorSource(spec, JOB_START), 0, 1);

        for (RecordingOutput.Emitted e : out.emitted) {
            assertThat(e.record().keySet()).containsExactly("ts", "key", "value");
            assertThat(e.record().values()).allMatch(v -> v instanceof Long);
            assertThat(e.record().get("ts")).isEqualTo(e.timestamp());
            assertThat((Long) e.record().get("key")).isBetween(0L, 9L);
            assertThat((Long) e.record().get("value")).isBetween(0L, 99_999L);
        }
        // 5000 draws from 100000 values: about 4877 distinct, some above the shared boxes' range
        assertThat(out.records().stream().map(r -> r.get("value")).distinct().count()).isGreaterThan(4_700);
        assertThat(out.records()).anyMatch(r -> (Long) r.get("value") >= 65_536);
    }

    @Test
    void shouldStartAtStartTimeWhenSetAndAtJobStartOtherwise() throws Exception {
        GeneratorSpec spec = unpaced(3, 10);
        assertThat(drain(new GeneratorSource(spec, JOB_START), 0, 1).timestamps().get(0)).isEqualTo(START_TIME);

        spec.setStartTime(null);
        assertThat(drain(new GeneratorSource(spec, JOB_START), 0, 1).timestamps().get(0)).isEqualTo(JOB_START);
    }

    @Test
    void shouldDrawTheHottestKeyAtItsZipfShareWhenSkewed() throws Exception {
        GeneratorSpec spec = unpaced(11, 200_000);
        spec.setKeys(100);
        spec.setSkew(1.0);
        long[] counts = keyCounts(drain(new GeneratorSource(spec, JOB_START), 0, 1));

        double harmonic = 0;
        for (int k = 1; k <= 100; k++) {
            harmonic += 1.0 / k;
        }
        assertThat(counts[0] / 200_000.0).isCloseTo(1 / harmonic, within(0.005));
        assertThat(counts[9] / 200_000.0).isCloseTo(1 / harmonic / 10, within(0.003));
        assertThat(counts[99] / 200_000.0).isCloseTo(1 / harmonic / 100, within(0.001));
    }

    @Test
    void shouldDrawEveryKeyAboutEquallyWhenNotSkewed() throws Exception {
        GeneratorSpec spec = unpaced(11, 200_000);
        spec.setKeys(100);
        long[] counts = keyCounts(drain(new GeneratorSource(spec, JOB_START), 0, 1));

        for (long c : counts) {
            assertThat(c / 200_000.0).isCloseTo(0.01, within(0.0025));
        }
    }

    private static long[] keyCounts(RecordingOutput out) {
        long[] counts = new long[100];
        for (Map<String, Object> r : out.records()) {
            counts[(int) (long) (Long) r.get("key")]++;
        }
        return counts;
    }

    static Stream<Arguments> profiles() {
        return Stream.of(
                Arguments.of(rate(RateProfile.CONSTANT, 1_000, null, null, null, null),
                        (DoubleUnaryOperator) t -> 1_000),
                Arguments.of(rate(RateProfile.STEP, 100, 1_000.0, "3s", "2s", null),
                        (DoubleUnaryOperator) t -> t >= 3_000 && t < 5_000 ? 1_000 : 100),
                Arguments.of(rate(RateProfile.STEP, 100, 1_000.0, "3s", null, null),
                        (DoubleUnaryOperator) t -> t >= 3_000 ? 1_000 : 100),
                Arguments.of(rate(RateProfile.SINE, 100, 900.0, null, null, "4s"),
                        (DoubleUnaryOperator) t -> 100 + 800 * (1 + Math.sin(2 * Math.PI * t / 4_000)) / 2),
                Arguments.of(rate(RateProfile.BURST, 50, 2_000.0, null, null, "5s"),
                        (DoubleUnaryOperator) t -> t % 5_000 < 1_000 ? 2_000 : 50));
    }

    private static RateSpec rate(RateProfile profile, double rate, Double peak, String stepAt, String stepDuration,
            String period) {
        RateSpec r = new RateSpec();
        r.setProfile(profile);
        r.setRate(rate);
        r.setPeak(peak);
        r.setStepAt(stepAt);
        r.setStepDuration(stepDuration);
        r.setPeriod(period);
        r.setBurstDuration(profile == RateProfile.BURST ? "1s" : null);
        return r;
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void shouldEmitAsManyRecordsPerSecondAsTheProfileIntegratesTo(RateSpec rate, DoubleUnaryOperator perSecond)
            throws Exception {
        GeneratorSpec spec = unpaced(5, 0);
        spec.setLimit(null);
        spec.setRate(rate);
        GeneratorSource source = new GeneratorSource(spec, JOB_START);
        int seconds = 12;
        long[] counts = new long[seconds];
        for (int split = 0; split < 2; split++) {
            SplitReader<Map<String, Object>> reader = source.createReader(split, 2);
            RecordingOutput out = new RecordingOutput();
            while (out.emitted.isEmpty() || out.emitted.get(out.emitted.size() - 1).timestamp() < START_TIME + seconds * 1_000L) {
                assertThat(reader.read(out).isIdle()).isFalse();
            }
            for (long ts : out.timestamps()) {
                int second = (int) ((ts - START_TIME) / 1_000);
                if (second < seconds) {
                    counts[second]++;
                }
            }
        }

        for (int s = 0; s < seconds; s++) {
            double expected = 0;
            for (int ms = s * 1_000; ms < (s + 1) * 1_000; ms++) {
                expected += perSecond.applyAsDouble(ms + 0.5) / 1_000;
            }
            // each of the 2 splits rounds its share of the integral at both ends of the second
            assertThat((double) counts[s]).as("records in second %d", s).isCloseTo(expected, within(2.0));
        }
        assertThat(source.isBounded()).isFalse();
    }

    @Test
    void shouldEmitNonDecreasingTimestampsPerSplit() throws Exception {
        GeneratorSpec spec = unpaced(5, 20_000);
        spec.setRate(rate(RateProfile.SINE, 0, 5_000.0, null, null, "2s"));
        List<Long> ts = drain(new GeneratorSource(spec, JOB_START), 1, 3).timestamps();

        assertThat(ts).isSorted();
    }

    @Test
    void shouldShareTheLimitAmongSplitsAndEndWhenTheLimitIsReached() throws Exception {
        GeneratorSource source = new GeneratorSource(unpaced(9, 1_003), JOB_START);
        List<Integer> counts = new ArrayList<>();
        for (int split = 0; split < 4; split++) {
            counts.add(drain(source, split, 4).emitted.size());
        }

        assertThat(counts).containsExactly(251, 251, 251, 250);
        assertThat(source.isBounded()).isTrue();
    }

    @Test
    void shouldEndAtOnceWhenTheLimitIsZero() throws Exception {
        SplitReader<Map<String, Object>> reader = new GeneratorSource(unpaced(9, 0), JOB_START).createReader(0, 1);

        assertThat(reader.read(new RecordingOutput()).isEnd()).isTrue();
    }

    @Test
    void shouldEndWhenTheRateIsZeroForever() throws Exception {
        GeneratorSpec spec = unpaced(9, 100);
        spec.setRate(constant(0));

        assertThat(drain(new GeneratorSource(spec, JOB_START), 0, 1).emitted).isEmpty();
    }

    @Test
    void shouldIdleAndMarkProgressUpToTheNextRecordWhenAheadOfSchedule() throws Exception {
        GeneratorSpec spec = unpaced(1, 100);
        spec.setPaced(true);
        spec.setRate(constant(10));
        SplitReader<Map<String, Object>> reader = new GeneratorSource(spec, JOB_START, wallClock).createReader(0, 1);
        RecordingOutput out = new RecordingOutput();

        assertThat(reader.read(out).isIdle()).isFalse();
        assertThat(out.timestamps()).containsExactly(START_TIME);

        ReadResult quiet = reader.read(out);
        assertThat(quiet.isIdle()).isTrue();
        assertThat(quiet.idleNanos()).isEqualTo(100_000_000L);
        assertThat(out.progress).containsExactly(START_TIME + 99);
        assertThat(out.emitted).hasSize(1);

        wallMillis.addAndGet(250);
        assertThat(reader.read(out).isIdle()).isFalse();
        assertThat(out.timestamps()).containsExactly(START_TIME, START_TIME + 100, START_TIME + 200);

        ReadResult again = reader.read(out);
        assertThat(again.idleNanos()).isEqualTo(50_000_000L);
        assertThat(out.progress).containsExactly(START_TIME + 99, START_TIME + 299);
    }

    @Test
    void shouldWaitForTheJobStartWhenTheWallClockIsBeforeIt() throws Exception {
        GeneratorSpec spec = unpaced(1, 100);
        spec.setPaced(true);
        wallMillis.set(JOB_START - 20);
        SplitReader<Map<String, Object>> reader = new GeneratorSource(spec, JOB_START, wallClock).createReader(0, 1);
        RecordingOutput out = new RecordingOutput();

        ReadResult r = reader.read(out);

        assertThat(r.idleNanos()).isEqualTo(20_000_000L);
        assertThat(out.emitted).isEmpty();
        assertThat(out.progress).containsExactly(START_TIME - 1);
    }

    @Test
    void shouldEmitABatchAtATimeWhenBehindSchedule() throws Exception {
        GeneratorSpec spec = unpaced(1, 1_000_000);
        spec.setPaced(true);
        spec.setRate(constant(1_000_000));
        SplitReader<Map<String, Object>> reader = new GeneratorSource(spec, JOB_START, wallClock).createReader(0, 1);
        RecordingOutput out = new RecordingOutput();
        wallMillis.addAndGet(1_000);

        ReadResult r = reader.read(out);

        assertThat(r.isIdle()).isFalse();
        assertThat(out.emitted).hasSize(GeneratorSource.MAX_BATCH);
        assertThat(out.progress).isEmpty();
    }

    @Test
    void shouldEmitTheSameRecordsOverPodsAsOnePodAlsoWhenThePodCountChanges() throws Exception {
        GeneratorSpec spec = unpaced(6, 6_001);
        spec.setRate(constant(1_000));
        GeneratorSource onePod = new GeneratorSource(spec, JOB_START);
        long t1 = JOB_START + 2_000;
        long t2 = JOB_START + 4_000;
        for (int split = 0; split < 6; split++) {
            RecordingOutput global = drain(onePod, split, 6);
            List<RecordingOutput.Emitted> union = new ArrayList<>();
            for (int pod = 0; pod < 3; pod++) {
                int p = pod;
                // 1 pod until t1, 3 pods until t2, 2 pods after
                SplitOwnership owns = (s, ts) -> s % (ts <= t1 ? 1 : ts <= t2 ? 3 : 2) == p;
                RecordingOutput inPod = drain(new GeneratorSource(spec, JOB_START).forPod(owns), split, 6);
                union.addAll(inPod.emitted);
            }
            assertThat(global.emitted).isNotEmpty();
            assertThat(union).as("split %d", split).containsExactlyInAnyOrderElementsOf(global.emitted);
        }
    }

    @Test
    void shouldRejectAStepProfileWithoutItsPeak() {
        GeneratorSpec spec = unpaced(1, 10);
        spec.setRate(rate(RateProfile.STEP, 100, null, "1s", null, null));

        assertThatThrownBy(() -> new GeneratorSource(spec, JOB_START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate.peak");
    }
}
