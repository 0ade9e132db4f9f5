package dev.stretch.runtime.connect;

import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.model.RecordFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a stream to a file as jsonl (the default), csv or text. The file (and its missing parent
 * directories) is created, or truncated, when the job opens the sink; all instances write whole lines
 * into the same file, which is closed when the last instance closes.
 */
public final class FileSink<T> implements Sink<T> {
    private final Path path;
    private final RecordFormat format;
    private final OutputTarget target;

    /** {@code null} format means jsonl. */
    public FileSink(Path path, RecordFormat format) {
        this.path = Objects.requireNonNull(path, "path");
        this.format = format == null ? RecordFormat.JSONL : format;
        this.target = OutputTarget.of(path);
    }

    public Path path() {
        return path;
    }

    public RecordFormat format() {
        return format;
    }

    @Override
    public SinkWriter<T> createWriter(int instance) throws IOException {
        return new LineSinkWriter<>(target, format);
    }
}
