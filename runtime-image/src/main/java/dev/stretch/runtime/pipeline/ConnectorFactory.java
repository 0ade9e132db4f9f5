package dev.stretch.runtime.pipeline;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.Sink;
import dev.stretch.api.Source;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.model.RecordSchema;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import java.util.Map;

/** Makes the engine sources and sinks a declarative pipeline names. */
public interface ConnectorFactory {
    /** A source with its event-time strategy, split count and the schema of its records. */
    record SourceBinding(Source<Map<String, Object>> source, WatermarkStrategy<Map<String, Object>> watermarks,
            int parallelism, RecordSchema schema) {
    }

    SourceBinding source(SourceSpec spec, String stageName) throws IllegalArgumentException;

    Sink<Object> sink(SinkSpec spec, String stageName);

    /**
     * Where the keyed stage {@code stageName} reads its input from when its records must cross pods first (a Kafka
     * input partitioned by another key): the stream read back from a repartition topic that {@code in} is written
     * to, keyed by the stage's key in the partition it comes from. Null (the default): the stage reads {@code in}.
     */
    default dev.stretch.api.DataStream<Map<String, Object>> repartition(dev.stretch.api.StreamEnvironment env,
            dev.stretch.api.DataStream<Map<String, Object>> in, String stageName) {
        return null;
    }

    /** Where dead letters go ({@code null} spec: standard error). */
    Sink<DeadLetter> deadLetters(SinkSpec spec);
}
