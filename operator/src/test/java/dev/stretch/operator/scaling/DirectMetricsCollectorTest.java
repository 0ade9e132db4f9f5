package dev.stretch.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The direct collector's reading of a pod's protobuf exposition, and its rates between two scrapes. */
class DirectMetricsCollectorTest {

    private static byte[] exposition(double tuplesIn, double busySeconds, int threads, double backlog)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        family("stretch_operator_info", Metrics.MetricType.GAUGE, gauge(1, "counts", "window"),
                gauge(1, "events", "source")).writeDelimitedTo(out);
        family("stretch_operator_instances", Metrics.MetricType.GAUGE, gauge(threads, "counts", null),
                gauge(1, "events", null)).writeDelimitedTo(out);
        family("stretch_operator_tuples_in_total", Metrics.MetricType.COUNTER, counter(tuplesIn, "counts"))
                .writeDelimitedTo(out);
        family("stretch_operator_busy_seconds_total", Metrics.MetricType.COUNTER, counter(busySeconds, "counts"))
                .writeDelimitedTo(out);
        family("stretch_operator_backlog_tuples", Metrics.MetricType.GAUGE, gauge(backlog, "counts", null))
                .writeDelimitedTo(out);
        family("stretch_operator_event_time_lag_seconds", Metrics.MetricType.GAUGE, gauge(0.25, "counts", null))
                .writeDelimitedTo(out);
        return out.toByteArray();
    }

    private static Metrics.MetricFamily family(String name, Metrics.MetricType type, Metrics.Metric... metrics) {
        return Metrics.MetricFamily.newBuilder().setName(name).setType(type).addAllMetric(List.of(metrics)).build();
    }

    private static Metrics.Metric gauge(double v, String op, String kind) {
        Metrics.Metric.Builder b = Metrics.Metric.newBuilder()
                .addLabel(Metrics.LabelPair.newBuilder().setName("operator").setValue(op))
                .setGauge(Metrics.Gauge.newBuilder().setValue(v));
        if (kind != null) {
            b.addLabel(Metrics.LabelPair.newBuilder().setName("kind").setValue(kind));
        }
        return b.build();
    }

    private static Metrics.Metric counter(double v, String op) {
        return Metrics.Metric.newBuilder().addLabel(Metrics.LabelPair.newBuilder().setName("operator").setValue(op))
                .setCounter(Metrics.Counter.newBuilder().setValue(v)).build();
    }

    @Test
    void shouldReadKeyedOperatorsAndTakeRatesFromCounterDifferences() throws IOException {
        DirectMetricsCollector.Scrape first = DirectMetricsCollector.parse(exposition(1000, 1.0, 2, 100), 0);
        DirectMetricsCollector.Scrape second = DirectMetricsCollector.parse(exposition(3000, 2.5, 2, 300),
                2_000_000_000L);

        assertThat(DirectMetricsCollector.rates("p-0", null, first)).singleElement().satisfies(m -> {
            assertThat(m.operator()).as("only the keyed operator").isEqualTo("counts");
            assertThat(m.processedRate()).as("no rate from one scrape").isNaN();
        });
        assertThat(DirectMetricsCollector.rates("p-0", first, second)).singleElement().satisfies(m -> {
            assertThat(m.threads()).isEqualTo(2);
            assertThat(m.processedRate()).isEqualTo(1000.0);
            assertThat(m.arrivingRate()).as("processed + backlog growth").isEqualTo(1100.0);
            assertThat(m.busyRatio()).as("1.5 busy seconds over 2 s and 2 threads").isEqualTo(0.375);
            assertThat(m.backlog()).isEqualTo(300.0);
            assertThat(m.eventTimeLagMillis()).isEqualTo(250.0);
        });
    }

    private static Metrics.Metric instanceCounter(double v, String op, int instance) {
        return Metrics.Metric.newBuilder().addLabel(Metrics.LabelPair.newBuilder().setName("operator").setValue(op))
                .addLabel(Metrics.LabelPair.newBuilder().setName("operator_instance").setValue(
                        Integer.toString(instance)))
                .setCounter(Metrics.Counter.newBuilder().setValue(v)).build();
    }

    /** The base exposition plus per-instance back-pressure counters: two source instances, one window instance. */
    private static byte[] withBackpressure(double source0, double source1, double window) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(exposition(1000, 1.0, 2, 100));
        family("stretch_operator_instance_backpressured_seconds_total", Metrics.MetricType.COUNTER,
                instanceCounter(source0, "events", 0), instanceCounter(source1, "events", 1),
                instanceCounter(window, "counts", 0)).writeDelimitedTo(out);
        return out.toByteArray();
    }

    @Test
    void shouldMeasureTheShareOfTimeEachOperatorWaitedForRoomDownstream() throws IOException {
        DirectMetricsCollector.Scrape first = DirectMetricsCollector.parse(withBackpressure(1, 2, 0), 0);
        DirectMetricsCollector.Scrape second = DirectMetricsCollector.parse(withBackpressure(2.8, 3.8, 0.2),
                2_000_000_000L);

        assertThat(DirectMetricsCollector.pressure(null, first)).as("no rate from one scrape").isEmpty();
        Map<String, CollectedMetrics.Pressure> p = DirectMetricsCollector.pressure(first, second);
        assertThat(p.get("events").kind()).isEqualTo("source");
        assertThat(p.get("events").fraction()).as("3.6 s over 2 s and 2 instances").isCloseTo(0.9,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.get("counts").fraction()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void shouldNotTakeARateAcrossARestart() throws IOException {
        DirectMetricsCollector.Scrape before = DirectMetricsCollector.parse(exposition(5000, 3, 2, 0), 0);
        DirectMetricsCollector.Scrape restarted = DirectMetricsCollector.parse(exposition(10, 0.1, 1, 0), 1_000_000_000L);
        assertThat(DirectMetricsCollector.rates("p-0", before, restarted)).singleElement()
                .satisfies(m -> assertThat(m.processedRate()).isNaN());
    }

    @Test
    void shouldHoldWhenAPodDoesNotAnswer() {
        CollectedMetrics m = new DirectMetricsCollector(Duration.ofMillis(500)).collect("ns", "job", List.of(
                new dev.stretch.operator.status.PodObservation("job-0", true, null, "127.0.0.1", 1, null, false)));
        assertThat(m.available()).isFalse();
        assertThat(m.unavailable()).contains("job-0").contains("/metrics");
    }

    @Test
    void shouldBuildPromqlFromTheRuntimeMetricNamesAndTakeOverrides() {
        dev.stretch.model.MetricQueriesSpec overrides = new dev.stretch.model.MetricQueriesSpec();
        overrides.setBusyRatio("avg by (pod, operator) (my_busy{app=\"$job\"})");
        PrometheusMetricsCollector c = new PrometheusMetricsCollector("http://127.0.0.1:9", overrides,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        assertThat(c.query("processed", "team-a", "clicks")).isEqualTo("sum by (pod, operator) (irate("
                + "stretch_operator_tuples_in_total{exported_job=\"clicks\",namespace=~\"team-a|\"}[30000ms]))");
        assertThat(c.query("busy", "team-a", "clicks")).isEqualTo("avg by (pod, operator) (my_busy{app=\"clicks\"})");
        CollectedMetrics m = c.collect("team-a", "clicks", List.of());
        assertThat(m.available()).isFalse();
        assertThat(m.unavailable()).contains("Prometheus").contains("unreachable");
    }
}
