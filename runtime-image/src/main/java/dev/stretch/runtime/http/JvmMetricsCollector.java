package dev.stretch.runtime.http;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The JVM and process metrics of the client library ({@code jvm_*}, {@code process_*}), for any number of
 * servers in one process. They describe the process, not a job, so they are registered once per process in
 * a registry of their own: {@link JvmMetrics} keeps every registry it was registered with, and installs GC
 * listeners, for the life of the JVM, which a registry per server (tests start many) would leak.
 */
final class JvmMetricsCollector implements MultiCollector {
    private static final class ProcessRegistry {
        static final PrometheusRegistry INSTANCE = new PrometheusRegistry();

        static {
            JvmMetrics.builder().register(INSTANCE);
        }
    }

    @Override
    public MetricSnapshots collect() {
        return ProcessRegistry.INSTANCE.scrape();
    }
}
