package dev.stretch.runtime.connect;

import dev.stretch.api.SinkWriter;
import dev.stretch.model.RecordFormat;
import java.io.IOException;

/**
 * One instance of a {@link StdoutSink} or {@link FileSink}: encodes into its own buffer, which goes to
 * the shared target when it grows large, on {@link #flush()} (the engine calls it whenever the instance
 * runs out of input) and on {@link #close()}.
 */
final class LineSinkWriter<T> implements SinkWriter<T> {
    /** Hand over in chunks of about this size when records keep coming. */
    private static final int CHUNK_BYTES = 1 << 16;

    private final OutputTarget target;
    private final LineBuffer buffer = new LineBuffer();
    private final RecordEncoder encoder;
    private boolean closed;

    LineSinkWriter(OutputTarget target, RecordFormat format) throws IOException {
        this.target = target;
        target.attach();
        try {
            this.encoder = RecordEncoder.of(format, target, buffer);
        } catch (IOException | RuntimeException e) {
            target.detach();
            throw e;
        }
    }

    @Override
    public void write(T element, long timestamp) throws IOException {
        encoder.encode(element);
        if (buffer.size() >= CHUNK_BYTES) {
            target.write(buffer);
        }
    }

    @Override
    public void flush() throws IOException {
        target.write(buffer);
        target.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            target.write(buffer);
        } finally {
            target.detach();
        }
    }
}
