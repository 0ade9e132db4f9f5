package dev.stretch.runtime.connect;

import dev.stretch.api.DataStream;
import dev.stretch.api.Source;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import java.util.Map;
import java.util.Objects;

/**
 * A connector built from a job document's source: the source, the event-time rule its records follow,
 * and its number of splits in this process.
 */
public record BuiltInSource(Source<Map<String, Object>> source, WatermarkStrategy<Map<String, Object>> watermarks,
        int parallelism) {
    public BuiltInSource {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(watermarks, "watermarks");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, was " + parallelism);
        }
    }

    /** Adds the source to {@code env} under {@code name}, with its parallelism. */
    public DataStream<Map<String, Object>> addTo(StreamEnvironment env, String name) {
        return env.fromSource(source, watermarks, name).setParallelism(parallelism);
    }
}
