package dev.stretch.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.model.StreamJobSpec;
import dev.stretch.operator.TestJobs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which back-pressure a keyed operator is charged with: its writers' (through chained stages) less its own. */
class InputBackpressureTest {
    static final String CHAIN = """
            apiVersion: stretch.dev/v1alpha1
            kind: StreamJob
            metadata: {name: chain}
            spec:
              pipeline:
                - name: events
                  source: {generator: {keys: 10, rate: {profile: constant, rate: 100}}}
                - name: enrich
                  map: {set: {k2: "key"}}
                - name: first
                  window: {keyBy: key, size: 1s, aggregate: {function: count, as: n}}
                - name: second
                  window: {keyBy: key, size: 10s, aggregate: {function: sum, field: n, as: total}}
                - name: out
                  sink: {stdout: {format: jsonl}}
            """;

    static CollectedMetrics.Pressure p(String kind, double f) {
        return new CollectedMetrics.Pressure(kind, f);
    }

    static StreamJobSpec spec(String yaml) {
        return TestJobs.streamJob(yaml, "chain", "ns").getSpec();
    }

    @Test
    void shouldChargeTheBottleneckWithItsWritersBackpressureThroughChainedStages() {
        InputBackpressure b = InputBackpressure.of(spec(CHAIN));
        // second is the bottleneck: first waits on it, and the source waits on first
        Map<String, CollectedMetrics.Pressure> pod = Map.of("events", p("source", 0.95), "first", p("window", 0.9),
                "second", p("window", 0.0));

        assertThat(b.of("second", pod)).as("held back its writer first").isEqualTo(0.9);
        assertThat(b.of("first", pod)).as("first only passes on what second does").isCloseTo(0.05, within());
    }

    @Test
    void shouldChargeAKeyedOperatorFedBySourceThroughAMap() {
        InputBackpressure b = InputBackpressure.of(spec(CHAIN));
        Map<String, CollectedMetrics.Pressure> pod = Map.of("events", p("source", 0.8), "first", p("window", 0.0),
                "second", p("window", 0.0));

        assertThat(b.of("first", pod)).isEqualTo(0.8);
        assertThat(b.of("second", pod)).as("its writer first is not held back").isZero();
    }

    @Test
    void shouldTakeTheSourcesAsWritersWithoutAPipeline() {
        InputBackpressure b = InputBackpressure.of(new StreamJobSpec());
        Map<String, CollectedMetrics.Pressure> pod = Map.of("in", p("source", 0.7), "agg", p("window", 0.1));

        assertThat(b.of("agg", pod)).isCloseTo(0.6, within());
        assertThat(b.of("agg", Map.of())).as("nothing measured").isZero();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
