package dev.stretch.runtime.connect;

import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.model.RecordFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/**
 * Writes a stream to standard output (or another {@link PrintStream}, e.g. standard error) as jsonl
 * (the default), csv or text. Each instance buffers whole lines and flushes them when the engine says it
 * has nothing more for now, so concurrent instances never interleave within a line.
 */
public final class StdoutSink<T> implements Sink<T> {
    private final RecordFormat format;
    private final OutputTarget target;

    /** To {@code System.out}, as jsonl. */
    public StdoutSink() {
        this(RecordFormat.JSONL);
    }

    /** To {@code System.out}; {@code null} format means jsonl. */
    public StdoutSink(RecordFormat format) {
        this(format, System.out);
    }

    public StdoutSink(RecordFormat format, PrintStream stream) {
        this.format = format == null ? RecordFormat.JSONL : format;
        this.target = OutputTarget.of(Objects.requireNonNull(stream, "stream"));
    }

    public RecordFormat format() {
        return format;
    }

    @Override
    public SinkWriter<T> createWriter(int instance) throws IOException {
        return new LineSinkWriter<>(target, format);
    }
}
