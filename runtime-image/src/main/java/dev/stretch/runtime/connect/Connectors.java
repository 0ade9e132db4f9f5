package dev.stretch.runtime.connect;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.Sink;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.model.Durations;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.WatermarkSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the built-in connectors from a job document's source and sink sections. Specs are expected to
 * have passed {@code StreamJobValidator}; what is still wrong here is reported as an
 * {@link IllegalArgumentException} naming the field.
 */
public final class Connectors {
    private Connectors() {
    }

    /**
     * The source of {@code spec}, as run by a single process.
     *
     * @param defaultParallelism splits when the spec does not set {@code parallelism}
     * @param jobStartMillis epoch ms of the job's start: a generator's pacing origin and default start time
     */
    public static BuiltInSource source(SourceSpec spec, int defaultParallelism, long jobStartMillis) {
        return source(spec, defaultParallelism, jobStartMillis, SplitOwnership.ALL);
    }

    /**
     * The source of {@code spec} as run by one of several pods running the same job: each pod emits the
     * records {@code ownership} gives it, so the pods share the generator's records, and a file's lines,
     * instead of each producing them all.
     */
    public static BuiltInSource source(SourceSpec spec, int defaultParallelism, long jobStartMillis,
            SplitOwnership ownership) {
        if (spec == null) {
            throw new IllegalArgumentException("source is required");
        }
        int parallelism = spec.getParallelism() != null ? spec.getParallelism() : defaultParallelism;
        WatermarkStrategy<Map<String, Object>> watermarks = watermarks(spec.getWatermark());
        if (spec.getGenerator() != null && spec.getFile() != null) {
            throw new IllegalArgumentException("source: set exactly one of generator, file and kafka");
        }
        if (spec.getGenerator() != null) {
            return new BuiltInSource(new GeneratorSource(spec.getGenerator(), jobStartMillis).forPod(ownership),
                    watermarks, parallelism);
        }
        if (spec.getFile() != null) {
            String tsField = spec.getWatermark() == null ? null : spec.getWatermark().getTimestampField();
            return new BuiltInSource(new FileSource(spec.getFile(), tsField).forPod(ownership), watermarks, parallelism);
        }
        throw new IllegalArgumentException("source: set one of generator, file and kafka");
    }

    /**
     * Monotonous timestamps per split, unless {@code maxOutOfOrderness} allows records to come late; with
     * {@code idleTimeout}, a split silent that long stops holding back the windows downstream.
     */
    public static WatermarkStrategy<Map<String, Object>> watermarks(WatermarkSpec spec) {
        if (spec == null) {
            return WatermarkStrategy.forMonotonousTimestamps();
        }
        WatermarkStrategy<Map<String, Object>> strategy = spec.getMaxOutOfOrderness() == null
                ? WatermarkStrategy.forMonotonousTimestamps()
                : WatermarkStrategy.forBoundedOutOfOrderness(Durations.parse(spec.getMaxOutOfOrderness()));
        return spec.getIdleTimeout() == null ? strategy : strategy.withIdleness(Durations.parse(spec.getIdleTimeout()));
    }

    /** The sink of {@code spec}: standard output or a file. */
    public static <T> Sink<T> sink(SinkSpec spec) {
        if (spec == null || (spec.getStdout() == null) == (spec.getFile() == null)) {
            throw new IllegalArgumentException("sink: set exactly one of stdout and file");
        }
        if (spec.getStdout() != null) {
            return new StdoutSink<>(spec.getStdout().getFormat());
        }
        if (spec.getFile().getPath() == null) {
            throw new IllegalArgumentException("sink.file.path is required");
        }
        return new FileSink<>(Path.of(spec.getFile().getPath()), spec.getFile().getFormat());
    }

    /** Where dead letters go: per {@code spec}, or JSON lines on standard error when it is null. */
    public static Sink<DeadLetter> deadLetters(SinkSpec spec) {
        return spec == null ? new DeadLetterSink() : new DeadLetterSink(sink(spec));
    }
}
