package dev.stretch.runtime.connect;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a job's dead letters go: one record {@code {operator, reason, record, timestamp}} per rejected
 * input ({@code timestamp} null when the input had none), written by a {@link StdoutSink} or
 * {@link FileSink} — as JSON lines unless that sink says otherwise. By default, to standard error.
 */
public final class DeadLetterSink implements Sink<DeadLetter> {
    private final Sink<Object> lines;

    /** JSON lines on {@code System.err}. */
    public DeadLetterSink() {
        this(System.err);
    }

    /** JSON lines on {@code stream}. */
    public DeadLetterSink(PrintStream stream) {
        this(new StdoutSink<>(null, stream));
    }

    /** Through {@code lines}, typically a {@link StdoutSink} or {@link FileSink}. */
    public DeadLetterSink(Sink<Object> lines) {
        this.lines = Objects.requireNonNull(lines, "lines");
    }

    /** The fields of a dead letter, in the order they are written. */
    public static Map<String, Object> fields(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("operator", d.operator());
        m.put("reason", d.reason());
        m.put("record", d.record());
        m.put("timestamp", d.timestamp() == Long.MIN_VALUE ? null : d.timestamp());
        return m;
    }

    @Override
    @SuppressWarnings("try") // close() is SinkWriter's, declared to throw Exception
    public SinkWriter<DeadLetter> createWriter(int instance) throws Exception {
        SinkWriter<Object> w = lines.createWriter(instance);
        return new SinkWriter<>() {
            @Override
            public void write(DeadLetter d, long timestamp) throws Exception {
                w.write(fields(d), timestamp);
            }

            @Override
            public void flush() throws Exception {
                w.flush();
            }

            @Override
            public void close() throws Exception {
                w.close();
            }
        };
    }
}
