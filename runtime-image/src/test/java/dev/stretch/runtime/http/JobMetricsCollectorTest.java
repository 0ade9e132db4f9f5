package dev.stretch.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.InstanceMetrics;
import dev.stretch.api.JobMetrics;
import dev.stretch.engine.metrics.MetricsSampler;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.api.ReconfigurationListener;
import dev.stretch.runtime.JobHandle;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link JobMetricsCollector} over scripted engine snapshots, for the cases a live job cannot be made to show. */
class JobMetricsCollectorTest {
    private final ScriptedExecution execution = new ScriptedExecution();
    private final MetricsSampler sampler = new MetricsSampler(execution::metrics);
    private final JobMetricsCollector collector = new JobMetricsCollector(new JobHandle() {
        @Override
        public String jobName() {
            return "j";
        }

        @Override
        public String podName() {
            return "p";
        }

        @Override
        public JobExecution execution() {
            return execution;
        }

        @Override
        public MetricsSampler sampler() {
            return sampler;
        }

        @Override
        public long sampleIntervalMillis() {
            return 1000;
        }

        @Override
        public Instant startedAt() {
            return Instant.EPOCH;
        }
    });

    private ExpositionText scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, collector.collect());
        return new ExpositionText(out.toString(StandardCharsets.UTF_8));
    }

    private static OperatorMetrics window(long tuplesIn, long watermark, List<InstanceMetrics> perInstance) {
        return new OperatorMetrics("w", "window", perInstance.size(), tuplesIn, 0, 0, 0, 0, 0, 0, watermark,
                Long.MIN_VALUE, 0, 0, perInstance);
    }

    private static InstanceMetrics instance(int index, long tuplesIn) {
        return new InstanceMetrics(index, tuplesIn, tuplesIn, 0, 0, 0, 0, 0);
    }

    @Test
    void shouldNeverLowerOperatorTotalWhenEngineSnapshotDips() throws IOException {
        execution.next(window(100, 0, List.of(instance(0, 100))));
        double first = scrape().value("stretch_operator_tuples_in_total", "operator", "w").orElseThrow();
        execution.next(window(90, 0, List.of(instance(0, 90))));
        double dipped = scrape().value("stretch_operator_tuples_in_total", "operator", "w").orElseThrow();
        execution.next(window(120, 0, List.of(instance(0, 120))));
        double grown = scrape().value("stretch_operator_tuples_in_total", "operator", "w").orElseThrow();

        assertThat(List.of(first, dipped, grown)).containsExactly(100.0, 100.0, 120.0);
    }

    @Test
    void shouldRestartInstanceCounterWhenInstanceIsRecreated() throws IOException {
        execution.next(window(100, 0, List.of(instance(0, 60), instance(1, 40))));
        scrape();
        execution.next(window(100, 0, List.of(instance(0, 60))));
        ExpositionText scaledIn = scrape();
        execution.next(window(105, 0, List.of(instance(0, 60), instance(1, 5))));
        ExpositionText scaledOut = scrape();

        assertThat(scaledIn.samples("stretch_operator_instance_tuples_in_total")).hasSize(1);
        assertThat(scaledOut.value("stretch_operator_instance_tuples_in_total", "operator_instance", "1"))
                .hasValue(5.0);
    }

    @Test
    void shouldOmitWatermarkWhileUnknownAndReportInfinityWhenInputHasEnded() throws IOException {
        execution.next(window(0, Long.MIN_VALUE, List.of(instance(0, 0))));
        ExpositionText unknown = scrape();
        execution.next(window(0, Long.MAX_VALUE, List.of(instance(0, 0))));
        ExpositionText ended = scrape();
        execution.next(window(0, 1_500, List.of(instance(0, 0))));
        ExpositionText known = scrape();

        assertThat(unknown.samples("stretch_operator_watermark_seconds")).isEmpty();
        assertThat(ended.value("stretch_operator_watermark_seconds")).hasValue(Double.POSITIVE_INFINITY);
        assertThat(known.value("stretch_operator_watermark_seconds")).hasValue(1.5);
    }

    @Test
    void shouldExportKindInstancesBadRecordsAndOwnTuplesForChainedOperator() throws IOException {
        execution.next(new OperatorMetrics("m", "chained", 2, 40, 30, 0, 0, 7, 3, 0, Long.MIN_VALUE, Long.MIN_VALUE,
                0, 0, List.of()));

        ExpositionText page = scrape();

        assertThat(page.types().keySet().stream().filter(n -> n.startsWith("stretch_operator"))).containsExactlyInAnyOrder(
                "stretch_operator_info", "stretch_operator_instances", "stretch_operator_min_instances",
                "stretch_operator_max_instances", "stretch_operator_bad_records_total",
                "stretch_operator_dead_letters_total", "stretch_operator_tuples_in_total",
                "stretch_operator_tuples_out_total");
        assertThat(page.value("stretch_operator_bad_records_total", "operator", "m")).hasValue(7.0);
        assertThat(page.value("stretch_operator_tuples_in_total", "operator", "m")).hasValue(40.0);
        assertThat(page.value("stretch_operator_tuples_out_total", "operator", "m")).hasValue(30.0);
        assertThat(page.value("stretch_operator_min_instances", "operator", "m")).hasValue(2.0);
    }

    @Test
    void shouldExportIdleTransitionsOfSourceSplitsAsOneOperatorTotal() throws IOException {
        InstanceMetrics silent = new InstanceMetrics(0, 10, 10, 10, 0, 0, 0, Long.MIN_VALUE, 3);
        InstanceMetrics busy = new InstanceMetrics(1, 500, 500, 500, 0, 0, 0, Long.MIN_VALUE, 0);
        execution.next(new OperatorMetrics("src", "source", 2, 510, 510, 0, 0, 0, 0, 0, Long.MIN_VALUE,
                Long.MIN_VALUE, 0, 0, List.of(silent, busy)));
        ExpositionText source = scrape();
        execution.next(window(0, 0, List.of(instance(0, 0))));
        ExpositionText window = scrape();

        assertThat(source.value("stretch_source_idle_transitions_total", "operator", "src")).hasValue(3.0);
        assertThat(window.samples("stretch_source_idle_transitions_total")).isEmpty();
    }

    /** A job execution that reports whatever operator snapshot the test gives it. */
    private static final class ScriptedExecution implements JobExecution {
        private volatile OperatorMetrics operator;

        void next(OperatorMetrics o) {
            operator = o;
        }

        @Override
        public JobMetrics metrics() {
            return new JobMetrics("j", System.nanoTime(), List.of(operator));
        }

        @Override
        public String name() {
            return "j";
        }

        @Override
        public Status status() {
            return Status.RUNNING;
        }

        @Override
        public void awaitTermination() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean awaitTermination(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel() {
        }

        @Override
        public Optional<Throwable> failure() {
            return Optional.empty();
        }

        @Override
        public ReconfigurationResult reconfigure(String op, int instances) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ReconfigurationResult> reconfigure(Map<String, Integer> instances) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int instances(String op) {
            return operator.instances();
        }

        @Override
        public List<ElasticOperator> elasticOperators() {
            return List.of();
        }

        @Override
        public void addReconfigurationListener(ReconfigurationListener listener) {
        }
    }
}
