package dev.stretch.operator.scaling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The autoscaler's own metrics on the operator's {@code /q/metrics} (Prometheus names): decisions by kind
 * ({@code stretch_streamjob_autoscaler_decisions_total{namespace, streamjob, kind, applied}}), evaluation time
 * ({@code stretch_streamjob_autoscaler_evaluation_seconds}), metric collection failures
 * ({@code stretch_streamjob_autoscaler_collection_failures_total{source}}); recommended vs current layout are
 * gauges registered by {@link JobScalers}.
 */
final class ScalerMetrics {
    private final MeterRegistry registry;
    private final String namespace;
    private final String job;

    ScalerMetrics(MeterRegistry registry, String namespace, String job) {
        this.registry = registry;
        this.namespace = namespace;
        this.job = job;
    }

    void decided(String kind, boolean applied) {
        Counter.builder("stretch.streamjob.autoscaler.decisions")
                .description("Autoscaler decisions by kind (AddThreads, RaisePodCpu, AddPods, NoChange, ...), "
                        + "applied or only recommended")
                .tag("namespace", namespace).tag("streamjob", job).tag("kind", kind)
                .tag("applied", Boolean.toString(applied)).register(registry).increment();
    }

    void collectionFailed(String source) {
        Counter.builder("stretch.streamjob.autoscaler.collection.failures")
                .description("Metric collections that brought nothing usable (the autoscaler held)")
                .tag("namespace", namespace).tag("streamjob", job).tag("source", source).register(registry)
                .increment();
    }

    void evaluated(long nanos) {
        Timer.builder("stretch.streamjob.autoscaler.evaluation")
                .description("Time of one collect-decide-realise cycle").tag("namespace", namespace)
                .tag("streamjob", job).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }
}
