package dev.stretch.runtime.http;

import dev.stretch.api.JobExecution;
import dev.stretch.api.InstanceMetrics;
import dev.stretch.api.JobMetrics;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.runtime.JobHandle;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exports a job's engine counters to Prometheus, read when scraped: one {@link JobExecution#metrics()}
 * snapshot per scrape, so all series of a scrape come from the same moment, plus the busy ratio of the
 * runtime's last {@link dev.stretch.engine.metrics.MetricsSampler} sample.
 *
 * <p>Operator-level series ({@code job}, {@code pod}, {@code operator} labels) exist for the life of the
 * job and their counters include the work of removed instances, so they never go down across a
 * rescaling. Per-instance series (an extra {@code operator_instance} label) come and go with the instances;
 * a re-created instance starts its counters at zero, which {@code rate()} treats as a counter reset. That
 * label is not called {@code instance} because Prometheus attaches its own {@code instance} (the scrape
 * target) to every series.
 *
 * <p>The operator-level counters pass through a high-water mark: a snapshot read while an instance is being
 * removed can count that instance's work both as its own and as "retired" for a moment, and a counter that
 * then dips would look like a reset to Prometheus, turning the whole total into one huge spurious rate.
 *
 * <p>Chained stateless operators run inside their parent's instances: they appear in the info,
 * instance-count, bad-record and tuples in/out families (their own counts, so a filter's selectivity is
 * visible), not in the busy, backlog, lag and per-instance ones, which are their parent's.
 */
final class JobMetricsCollector implements MultiCollector {
    static final String JOB = "job";
    static final String POD = "pod";
    static final String OPERATOR = "operator";
    static final String OPERATOR_INSTANCE = "operator_instance";
    static final String KIND = "kind";
    static final String STATE = "state";

    private final JobHandle handle;
    /** Family and operator → highest value exported so far, for the operator-level counters. */
    private final Map<String, Double> highWater = new ConcurrentHashMap<>();

    JobMetricsCollector(JobHandle handle) {
        this.handle = handle;
    }

    @Override
    public MetricSnapshots collect() {
        JobExecution exec = handle.execution();
        JobMetrics metrics = exec.metrics();
        JobExecution.Status status = exec.status();
        Map<String, OperatorRates> rates = new HashMap<>();
        for (OperatorRates r : handle.sampler().latest()) {
            rates.put(r.name(), r);
        }
        Map<String, int[]> bounds = handle.threadBounds();
        Labels jobLabels = Labels.of(JOB, handle.jobName(), POD, handle.podName());

        Families f = new Families(highWater);
        for (JobExecution.Status s : JobExecution.Status.values()) {
            f.gauge("stretch_job_state", "1 for the job's current lifecycle state, 0 for the others", null,
                    jobLabels.add(STATE, s.name()), s == status ? 1 : 0);
        }
        f.gauge("stretch_job_start_time_seconds", "When the job started, in seconds since the epoch", Unit.SECONDS,
                jobLabels, handle.startedAt().toEpochMilli() / 1000.0);
        dev.stretch.runtime.PodIdentity pod = handle.pod();
        f.gauge("stretch_pod_count", "The job's pod count as this pod last read it (topology ConfigMap or --pods)",
                null, jobLabels, pod.count());
        f.gauge("stretch_pod_ordinal", "This pod's ordinal among the pods of its job", null, jobLabels, pod.ordinal());

        for (OperatorMetrics o : metrics.operators()) {
            Labels op = jobLabels.add(OPERATOR, o.name());
            int[] b = bounds.getOrDefault(o.name(), new int[] {o.instances(), o.instances()});
            f.info("stretch_operator", "The operator's kind (source, window, sink, chained)", op.add(KIND, o.kind()));
            f.gauge("stretch_operator_instances", "Current instances (threads) of the operator", null, op,
                    o.instances());
            f.gauge("stretch_operator_min_instances", "Fewest instances a rescaling may leave", null, op, b[0]);
            f.gauge("stretch_operator_max_instances", "Most instances a rescaling may give", null, op, b[1]);
            f.total("stretch_operator_bad_records", "Bad records, whatever the error policy did with them", null,
                    op, o.badRecords());
            f.total("stretch_operator_dead_letters", "Bad records sent to the dead-letter output", null, op,
                    o.deadLetters());
            f.total("stretch_operator_tuples_in", "Tuples that entered the operator", null, op, o.tuplesIn());
            f.total("stretch_operator_tuples_out", "Tuples the operator emitted", null, op, o.tuplesOut());
            if (o.kind().equals("source")) {
                long idle = 0;
                for (InstanceMetrics i : o.perInstance()) {
                    idle += i.idleTransitions();
                }
                f.total("stretch_source_idle_transitions", "Times a split of the source was marked idle "
                        + "(watermark.idleTimeout)", null, op, idle);
            }
            if (o.kind().equals("chained")) {
                continue; // its time, backlog and watermark are its parent stage's
            }
            f.total("stretch_operator_busy_seconds", "Processing time of all instances, present and past",
                    Unit.SECONDS, op, Unit.nanosToSeconds(o.busyNanos()));
            f.total("stretch_operator_late_tuples", "Tuples dropped as late (behind the allowed lateness)", null,
                    op, o.lateTuples());
            f.total("stretch_operator_reconfigurations", "Completed reconfigurations", null, op,
                    o.reconfigurations());
            f.gauge("stretch_operator_backlog_tuples", "Tuples waiting in the operator's input for its slowest "
                    + "instance", null, op, o.backlogTuples());
            f.gauge("stretch_operator_event_time_lag_seconds", "How far the operator's watermark trails the event "
                    + "time of its inputs", Unit.SECONDS, op, o.eventTimeLagMillis() / 1000.0);
            if (o.watermark() != Long.MIN_VALUE) {
                // +Inf once the input has ended: every event time has been processed
                double wm = o.watermark() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : o.watermark() / 1000.0;
                f.gauge("stretch_operator_watermark_seconds", "Event time up to which the operator has processed "
                        + "its input, in seconds since the epoch", Unit.SECONDS, op, wm);
            }
            OperatorRates r = rates.get(o.name());
            if (r != null) {
                f.gauge("stretch_operator_busy_ratio", "Fraction of its instances' time the operator spent "
                        + "processing over the last sampling interval", Unit.RATIO, op, r.busyRatio());
            }
            for (InstanceMetrics i : o.perInstance()) {
                Labels in = op.add(OPERATOR_INSTANCE, Integer.toString(i.index()));
                f.counter("stretch_operator_instance_tuples_in", "Tuples this instance processed (in VSN mode: of "
                        + "its own key groups)", null, in, i.tuplesIn());
                f.counter("stretch_operator_instance_tuples_read", "Tuples this instance read from its input (in "
                        + "VSN mode every instance reads every tuple)", null, in, i.tuplesRead());
                f.counter("stretch_operator_instance_tuples_out", "Tuples this instance emitted", null, in,
                        i.tuplesOut());
                f.counter("stretch_operator_instance_busy_seconds", "Processing time of this instance since it "
                        + "started", Unit.SECONDS, in, Unit.nanosToSeconds(i.busyNanos()));
                f.counter("stretch_operator_instance_backpressured_seconds", "Time this instance spent waiting for "
                        + "room downstream since it started", Unit.SECONDS, in,
                        Unit.nanosToSeconds(i.backpressuredNanos()));
            }
        }
        return f.build();
    }

    /** Collects data points per family name, keeping the order in which families first appear. */
    private static final class Families {
        private final Map<String, MetricSnapshot.Builder<?>> builders = new LinkedHashMap<>();
        private final Map<String, Double> highWater;

        Families(Map<String, Double> highWater) {
            this.highWater = highWater;
        }

        /** A counter of an operator that must never go down (see the class comment). */
        void total(String name, String help, Unit unit, Labels labels, double value) {
            double v = highWater.merge(name + "/" + labels.get(OPERATOR), value, Math::max);
            counter(name, help, unit, labels, v);
        }

        void counter(String name, String help, Unit unit, Labels labels, double value) {
            CounterSnapshot.Builder b = (CounterSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> CounterSnapshot.builder().name(n).help(help).unit(unit));
            b.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void gauge(String name, String help, Unit unit, Labels labels, double value) {
            GaugeSnapshot.Builder b = (GaugeSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> GaugeSnapshot.builder().name(n).help(help).unit(unit));
            b.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(value).build());
        }

        void info(String name, String help, Labels labels) {
            InfoSnapshot.Builder b = (InfoSnapshot.Builder) builders.computeIfAbsent(name,
                    n -> InfoSnapshot.builder().name(n).help(help));
            b.dataPoint(InfoDataPointSnapshot.builder().labels(labels).build());
        }

        MetricSnapshots build() {
            List<MetricSnapshot> out = new ArrayList<>(builders.size());
            for (MetricSnapshot.Builder<?> b : builders.values()) {
                out.add(b.build());
            }
            return new MetricSnapshots(out);
        }
    }
}
