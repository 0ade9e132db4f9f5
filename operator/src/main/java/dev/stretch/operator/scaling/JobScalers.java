package dev.stretch.operator.scaling;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.model.AutoscalingSpec;
import dev.stretch.model.Defaults;
import dev.stretch.model.MetricSourceType;
import dev.stretch.operator.JobEvents;
import dev.stretch.operator.customresource.AutoscalingStatus;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The scaling loops of all jobs: one {@link JobScaler} per running job, each on a schedule of its own
 * ({@code spec.autoscaling.metricSource.interval}). The reconciler registers a job on every reconcile (its spec
 * and pods, from the informer caches) and takes the loop's {@link AutoscalingStatus} into the status it writes; a
 * loop whose job is paused, suspended, invalid or gone is stopped. A change of the job's autoscaling settings,
 * bounds or resources starts a new loop (the policy's windows start afresh; the CPU size set in place is kept).
 *
 * <p>When a loop's status changes between reconciles it patches {@code status.autoscaling} (and the printer
 * columns {@code status.scaling}, {@code status.podCpuCores}) itself with a JSON merge patch, so decisions show
 * within a loop interval, not at the next periodic reconcile.
 */
@Singleton
public class JobScalers {
    private static final Logger LOG = Logger.getLogger(JobScalers.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final JobEvents events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Duration podTimeout;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "stretch-autoscaler");
        t.setDaemon(true);
        return t;
    });
    private final Map<ResourceID, Loop> loops = new ConcurrentHashMap<>();
    private volatile IndexedResourceCache<StreamJob> cache;

    /** A running loop: its scaler, what it was built from, its schedule and its gauges. */
    private record Loop(JobScaler scaler, String settings, ScheduledFuture<?> schedule, List<Meter.Id> gauges,
            AutoscalingStatus[] written) {
    }

    @Inject
    public JobScalers(KubernetesClient client, JobEvents events, MeterRegistry registry, Clock clock,
            @ConfigProperty(name = "stretch.operator.pod-status-timeout", defaultValue = "2s") Duration podTimeout) {
        this.client = client;
        this.events = events;
        this.registry = registry;
        this.clock = clock;
        this.podTimeout = podTimeout;
    }

    /**
     * Registers a running job and its pods (called on every reconcile of a valid, unpaused job).
     *
     * @param primaries the informer cache of jobs, to notice deleted ones
     */
    public void observe(StreamJob job, List<Pod> pods, IndexedResourceCache<StreamJob> primaries) {
        cache = primaries;
        ResourceID id = ResourceID.fromResource(job);
        if (ScalingSettings.mode(job.getSpec()) == dev.stretch.model.AutoscalingMode.OFF
                || dev.stretch.operator.PodCount.desired(job.getSpec()) == 0) {
            // nothing to scale (mode Off, suspended, scaled to zero): no loop, the status keeps what it said last
            stop(id);
            return;
        }
        String settings = settings(job);
        Loop loop = loops.get(id);
        if (loop != null && !loop.settings().equals(settings)) {
            stop(id);
            loop = null;
        }
        if (loop == null) {
            loop = start(id, job, settings);
        }
        loop.scaler().update(job, pods);
        for (ResourceID known : new ArrayList<>(loops.keySet())) {
            if (primaries.get(known).isEmpty()) {
                stop(known);
            }
        }
    }

    /** Stops the loop of a job that is paused, suspended, invalid or deleted. */
    public void stop(ResourceID id) {
        Loop loop = loops.remove(id);
        if (loop != null) {
            loop.schedule().cancel(false);
            loop.gauges().forEach(registry::remove);
        }
    }

    /** The loop's status for the job's status, or null when no loop runs for it. */
    public AutoscalingStatus status(StreamJob job) {
        Loop loop = loops.get(ResourceID.fromResource(job));
        if (loop == null) {
            return null;
        }
        AutoscalingStatus s = loop.scaler().status();
        loop.written()[0] = s;
        return s;
    }

    private Loop start(ResourceID id, StreamJob job, String settings) {
        AutoscalingSpec a = job.getSpec().getAutoscaling();
        MetricsCollector collector = Defaults.metricSource(a) == MetricSourceType.PROMETHEUS
                ? new PrometheusMetricsCollector(a.getMetricSource().getUrl(), a.getMetricSource().getQueries(),
                        Defaults.prometheusRateWindow(a), podTimeout)
                : new DirectMetricsCollector(podTimeout);
        AutoscalingStatus previous = job.getStatus() == null ? null : job.getStatus().getAutoscaling();
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        JobScaler scaler = new JobScaler(job, client, clock, collector, new ThreadRealiser(podTimeout),
                new CpuResizeRealiser(client, Duration.ofSeconds(10)), e -> events.record(current(id, job), e),
                new ScalerMetrics(registry, ns, name), previous == null ? null : previous.getPodCpuCores(),
                new dev.stretch.operator.status.PodStatusClient(podTimeout));
        AutoscalingStatus[] written = {previous};
        Duration interval = Defaults.metricInterval(a);
        // a source with its own sampling clock (Prometheus) is polled for a new scrape every interval / 5 (100 ms to
        // 1 s): the loop evaluates as soon as one lands, not up to an interval later, and not again on the same
        // scrape; without a new scrape it still evaluates every interval (outages, holds, recreated pods)
        long period = collector.pollsForNewData()
                ? Math.min(interval.toMillis(), Math.max(100, Math.min(1000, interval.toMillis() / 5)))
                : interval.toMillis();
        long fallbackNanos = collector.pollsForNewData() ? interval.toNanos() : 0;
        // written and read only by this loop's task, which the scheduler never runs concurrently with itself
        long[] lastTick = {System.nanoTime()};
        ScheduledFuture<?> schedule = scheduler.scheduleWithFixedDelay(() -> {
            if (cache != null && cache.get(id).isEmpty()) {
                stop(id);
                return;
            }
            if (fallbackNanos > 0 && System.nanoTime() - lastTick[0] < fallbackNanos
                    && !collector.newData(ns, name)) {
                return;
            }
            lastTick[0] = System.nanoTime();
            scaler.tick();
            publish(id, scaler, written);
        }, period, period, TimeUnit.MILLISECONDS);
        Loop loop = new Loop(scaler, settings, schedule, gauges(ns, name, scaler), written);
        loops.put(id, loop);
        LOG.infof("%s/%s: autoscaler started (mode %s, %s metrics every %s)", ns, name,
                ScalingSettings.mode(job.getSpec()).wireName(), collector.source(), interval);
        return loop;
    }

    /** Patches the job's status when the loop's view changed since it was last written. */
    private void publish(ResourceID id, JobScaler scaler, AutoscalingStatus[] written) {
        AutoscalingStatus now = scaler.status();
        if (Objects.equals(JSON.valueToTree(now), written[0] == null ? null : JSON.valueToTree(written[0]))) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("autoscaling", now);
        status.put("scaling", now.getLastDecision() == null ? null : now.getLastDecision().getReason());
        status.put("podCpuCores", now.getPodCpuCores());
        try {
            client.resources(StreamJob.class).inNamespace(id.getNamespace().orElse(null)).withName(id.getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                            JSON.writeValueAsString(Map.of("status", status)));
            written[0] = now;
        } catch (Exception e) {
            LOG.debugf("could not patch the autoscaling status of %s: %s", id, e.getMessage());
        }
    }

    private StreamJob current(ResourceID id, StreamJob fallback) {
        IndexedResourceCache<StreamJob> c = cache;
        return c == null ? fallback : c.get(id).orElse(fallback);
    }

    private List<Meter.Id> gauges(String ns, String name, JobScaler scaler) {
        List<Meter.Id> ids = new ArrayList<>();
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.pods", "current", scaler,
                s -> s.getPods() == null ? Double.NaN : s.getPods()));
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.pods", "recommended", scaler,
                s -> s.getRecommendedPods() == null ? Double.NaN : s.getRecommendedPods()));
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.pod.cpu.cores", "current", scaler,
                s -> s.getPodCpuCores() == null ? Double.NaN : s.getPodCpuCores()));
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.pod.cpu.cores", "recommended", scaler,
                s -> s.getRecommendedPodCpuCores() == null ? Double.NaN : s.getRecommendedPodCpuCores()));
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.threads.per.pod", "current", scaler,
                s -> s.getThreads() == null ? Double.NaN
                        : s.getThreads().values().stream().mapToInt(Integer::intValue).sum()));
        ids.add(gauge(ns, name, "stretch.streamjob.autoscaler.threads.per.pod", "recommended", scaler,
                s -> s.getRecommendedThreads() == null ? Double.NaN
                        : s.getRecommendedThreads().values().stream().mapToInt(Integer::intValue).sum()));
        return ids;
    }

    private Meter.Id gauge(String ns, String name, String metric, String which, JobScaler scaler,
            java.util.function.ToDoubleFunction<AutoscalingStatus> value) {
        return Gauge.builder(metric, scaler, s -> value.applyAsDouble(s.status()))
                .description("The autoscaler's current (measured) and recommended layout; threads summed over "
                        + "the keyed operators of one pod")
                .tag("namespace", ns).tag("streamjob", name).tag("which", which).strongReference(true)
                .register(registry).getId();
    }

    /** What a loop is built from: a change restarts it. */
    private static String settings(StreamJob job) {
        var spec = job.getSpec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("autoscaling", spec.getAutoscaling());
        m.put("parallelism", spec.getParallelism());
        m.put("resources", spec.getResources());
        try {
            return JSON.writeValueAsString(m);
        } catch (Exception e) {
            return String.valueOf(m);
        }
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }
}
