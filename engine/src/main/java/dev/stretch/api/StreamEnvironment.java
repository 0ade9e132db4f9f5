package dev.stretch.api;

import dev.stretch.engine.exec.JobRunner;
import dev.stretch.engine.plan.JobGraph;
import dev.stretch.engine.plan.SourceNode;
import dev.stretch.engine.plan.StreamNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a job is put together: add sources, transform the streams, add sinks, then {@link #start} or
 * {@link #execute} it.
 *
 * <pre>{@code
 * StreamEnvironment env = StreamEnvironment.create();
 * env.fromSource(events, WatermarkStrategy.forMonotonousTimestamps(), "events")
 *    .keyByLong(e -> e.userId())
 *    .window(Windows.tumbling(Duration.ofSeconds(1)))
 *    .aggregate(Aggregations.count())
 *    .name("clicks-per-user").setParallelism(4)
 *    .sinkTo(sink);
 * env.execute("clicks");
 * }</pre>
 *
 * Parallelism is per process: on Kubernetes every pod of a job runs its own engine with these instance
 * counts.
 */
public final class StreamEnvironment {
    private final JobConfig config;
    private final List<StreamNode> nodes = new ArrayList<>();

    private StreamEnvironment(JobConfig config) {
        this.config = config;
    }

    public static StreamEnvironment create() {
        return new StreamEnvironment(JobConfig.defaults());
    }

    public static StreamEnvironment create(JobConfig config) {
        return new StreamEnvironment(Objects.requireNonNull(config, "config"));
    }

    public JobConfig config() {
        return config;
    }

    /**
     * Adds a source. The watermark strategy is required: it fixes how event time advances before any
     * operator attaches to the stream.
     */
    public <T> DataStream<T> fromSource(Source<T> source, WatermarkStrategy<T> watermarks, String name) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(watermarks, "watermarks");
        SourceNode n = new SourceNode(nextId(), name, source, watermarks);
        return new DataStream<>(this, add(n));
    }

    /** Starts the job in the background. */
    public JobExecution start(String jobName) {
        return JobRunner.start(new JobGraph(jobName, config, nodes));
    }

    /** Runs the job until its sources end (or it fails) and returns the finished execution. */
    public JobExecution execute(String jobName) {
        JobExecution e = start(jobName);
        e.awaitTermination();
        return e;
    }

    int nextId() {
        return nodes.size();
    }

    <N extends StreamNode> N add(N node) {
        nodes.add(node);
        return node;
    }
}
