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

    /** Where dead letters go ({@code null} spec: standard error). */
    Sink<DeadLetter> deadLetters(SinkSpec spec);
}
