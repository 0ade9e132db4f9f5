package dev.stretch.runtime;

import dev.stretch.api.JobExecution;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.engine.metrics.MetricsSampler;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.runtime.pipeline.ConnectorFactory;
import dev.stretch.runtime.pipeline.PipelineBuilder;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A job running in this process: the engine job built from a StreamJob, and the sampler that turns its
 * counters into rates once per interval for whoever watches (progress display, HTTP status, autoscaler).
 */
public final class JobProcess implements JobHandle, AutoCloseable {
    private final String jobName;
    private final String podName;
    private final dev.stretch.runtime.topology.PodTopology topology;
    private volatile JobExecution execution;
    private final StreamJobManifest manifest;
    private final ConnectorFactory connectors;
    private final Integer threads;
    private final java.util.concurrent.atomic.AtomicInteger restarts = new java.util.concurrent.atomic.AtomicInteger();
    private final MetricsSampler sampler;
    private final long intervalMillis;
    private final Instant startedAt = Instant.now();
    private final ScheduledExecutorService ticker;
    private final List<Consumer<List<MetricsSampler.OperatorRates>>> listeners = new CopyOnWriteArrayList<>();
    private volatile ScalingHolds autoscaler;
    /** Holds of manual rescalings while no in-process autoscaler is attached (the operator reads them). */
    private final ManualHolds manualHolds = new ManualHolds(java.time.Clock.systemUTC());
    /** Reconfiguration callbacks, registered again on every restarted engine. */
    private final List<dev.stretch.api.ReconfigurationListener> reconfigurationListeners = new CopyOnWriteArrayList<>();
    /** Each elastic operator's instance count when the engine was last stopped for a restart. */
    private volatile java.util.Map<String, Integer> instancesAtStop = java.util.Map.of();

    private JobProcess(StreamJobManifest manifest, ConnectorFactory connectors, Integer threads,
            dev.stretch.runtime.topology.PodTopology topology, JobExecution execution, long intervalMillis) {
        this.manifest = manifest;
        this.connectors = connectors;
        this.threads = threads;
        this.jobName = manifest.name();
        this.podName = topology.name();
        this.topology = topology;
        this.execution = execution;
        this.sampler = new MetricsSampler(() -> this.execution.metrics());
        this.intervalMillis = intervalMillis;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stretch-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Builds the job from its document and starts it, as the only process running it. */
    public static JobProcess start(StreamJobManifest manifest, ConnectorFactory connectors, Integer threads,
            String podName, long sampleIntervalMillis) throws Exception {
        return start(manifest, connectors, threads, dev.stretch.runtime.topology.PodTopology.single(podName),
                sampleIntervalMillis);
    }

    /** Builds the job from its document and starts it, as the pod {@code topology} says this process is. */
    public static JobProcess start(StreamJobManifest manifest, ConnectorFactory connectors, Integer threads,
            dev.stretch.runtime.topology.PodTopology topology, long sampleIntervalMillis) throws Exception {
        PipelineBuilder b = new PipelineBuilder(manifest, connectors, threads);
        StreamEnvironment env = b.build();
        JobExecution e = env.start(manifest.name());
        JobProcess p = new JobProcess(manifest, connectors, threads, topology, e, sampleIntervalMillis);
        p.sampler.sample();
        p.ticker.scheduleAtFixedRate(p::tick, sampleIntervalMillis, sampleIntervalMillis, TimeUnit.MILLISECONDS);
        return p;
    }

    /**
     * Stops the engine job and waits for it (the process, its HTTP server and its connectors' clients stay):
     * the first half of a restart after Kafka partitions moved.
     */
    public void stopEngine() {
        JobExecution e = execution;
        java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (JobExecution.ElasticOperator o : e.elasticOperators()) {
            counts.put(o.name(), o.instances());
        }
        instancesAtStop = counts;
        e.cancel();
        e.awaitTermination(java.time.Duration.ofSeconds(60));
    }

    /**
     * Builds the job again from its document and starts it: the second half of a restart. The new engine gets the
     * instance counts the stopped one had (a restart is no scaling decision: the threads that a {@code PUT
     * /v1/parallelism} or an autoscaler chose stay), and the reconfiguration callbacks registered so far.
     */
    public void startEngine() throws Exception {
        StreamEnvironment env = new PipelineBuilder(manifest, connectors, threads).build();
        JobExecution e = env.start(manifest.name());
        java.util.Map<String, Integer> again = new java.util.LinkedHashMap<>();
        java.util.Map<String, Integer> before = instancesAtStop;
        for (JobExecution.ElasticOperator o : e.elasticOperators()) {
            Integer n = before.get(o.name());
            if (n != null && n != o.instances() && n >= o.min() && n <= o.max()) {
                again.put(o.name(), n);
            }
        }
        if (!again.isEmpty()) {
            try {
                e.reconfigure(again); // before the listeners: restoring is not a new reconfiguration
            } catch (RuntimeException notRestored) {
                System.getLogger(JobProcess.class.getName()).log(System.Logger.Level.WARNING, "the restarted engine keeps its"
                        + " initial threads; restoring " + again + " failed: " + notRestored.getMessage());
            }
        }
        for (dev.stretch.api.ReconfigurationListener l : reconfigurationListeners) {
            e.addReconfigurationListener(l);
        }
        execution = e;
        restarts.incrementAndGet();
    }

    @Override
    public void addReconfigurationListener(dev.stretch.api.ReconfigurationListener listener) {
        reconfigurationListeners.add(listener);
        execution.addReconfigurationListener(listener);
    }

    /** Engine restarts since the process started (Kafka partition moves). */
    public int engineRestarts() {
        return restarts.get();
    }

    /** Makes the in-process autoscaler known to whoever takes manual control requests (the HTTP server). */
    public void attach(ScalingHolds autoscaler) {
        this.autoscaler = autoscaler;
    }

    @Override
    public java.util.Optional<ScalingHolds> inProcessAutoscaler() {
        return java.util.Optional.ofNullable(autoscaler);
    }

    @Override
    public java.util.Optional<ScalingHolds> holds() {
        ScalingHolds a = autoscaler;
        return java.util.Optional.of(a != null ? a : manualHolds);
    }

    /** Called with fresh rates after every sample, on the sampler thread. */
    public void onSample(Consumer<List<MetricsSampler.OperatorRates>> listener) {
        listeners.add(listener);
    }

    private void tick() {
        try {
            List<MetricsSampler.OperatorRates> rates = sampler.sample();
            for (Consumer<List<MetricsSampler.OperatorRates>> l : listeners) {
                l.accept(rates);
            }
        } catch (RuntimeException e) {
            System.getLogger(JobProcess.class.getName()).log(System.Logger.Level.WARNING, "sampling failed", e);
        }
    }

    @Override
    public String jobName() {
        return jobName;
    }

    @Override
    public String podName() {
        return podName;
    }

    @Override
    public PodIdentity pod() {
        return new PodIdentity(podName, topology.ordinal(), topology.count());
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
        return intervalMillis;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public void close() {
        execution.cancel();
        ticker.shutdownNow();
        topology.close();
    }

    /**
     * Stops sampling (after the job has ended), waits for a sample in progress and its listeners to finish
     * (so nothing prints after this returns), and takes one last sample.
     */
    public List<MetricsSampler.OperatorRates> stopSampling() {
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                ticker.shutdownNow();
            }
        } catch (InterruptedException e) {
            ticker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return sampler.sample();
    }
}
