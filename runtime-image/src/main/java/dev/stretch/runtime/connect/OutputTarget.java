package dev.stretch.runtime.connect;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the writers of one sink put their bytes: standard output (or any {@link PrintStream}) or a file.
 * Each writer encodes into its own {@link LineBuffer} and hands over whole lines in one synchronised
 * call, so lines of concurrent writers never interleave. A file is created (or truncated) when its first
 * writer opens and closed when its last writer closes; a print stream is only flushed.
 *
 * <p>A CSV target also owns its column list: the first writer to see a record declares the columns and
 * writes the header, under the same lock, before any row of any writer.
 */
abstract class OutputTarget {
    private int writers;
    private OutputStream out;
    private List<String> csvColumns;

    static OutputTarget of(PrintStream stream) {
        Objects.requireNonNull(stream, "stream");
        return new OutputTarget() {
            @Override
            OutputStream open() {
                return stream;
            }

            @Override
            void close(OutputStream out) {
                stream.flush();
            }

            @Override
            public String toString() {
                return stream == System.out ? "stdout" : stream == System.err ? "stderr" : "a print stream";
            }
        };
    }

    static OutputTarget of(Path file) {
        Objects.requireNonNull(file, "file");
        return new OutputTarget() {
            @Override
            OutputStream open() throws IOException {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                return Files.newOutputStream(file);
            }

            @Override
            void close(OutputStream out) throws IOException {
                out.close();
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }

    abstract OutputStream open() throws IOException;

    abstract void close(OutputStream out) throws IOException;

    /** Registers a writer; the first one opens the target. */
    final synchronized void attach() throws IOException {
        if (writers == 0) {
            out = open();
            csvColumns = null;
        }
        writers++;
    }

    /** Moves the buffer's lines to the target and empties the buffer. */
    final synchronized void write(LineBuffer lines) throws IOException {
        if (lines.size() > 0) {
            out.write(lines.bytes(), 0, lines.size());
            lines.reset();
        }
    }

    final synchronized void flush() throws IOException {
        out.flush();
    }

    /** Unregisters a writer; the last one closes the target. */
    final synchronized void detach() throws IOException {
        if (--writers == 0) {
            OutputStream o = out;
            out = null;
            close(o);
        }
    }

    /**
     * The CSV columns of this target: {@code proposed} if no writer has declared any yet, in which case
     * {@code headerLine} is written first.
     */
    final synchronized List<String> csvColumns(List<String> proposed, byte[] headerLine) throws IOException {
        if (csvColumns == null) {
            csvColumns = List.copyOf(proposed);
            out.write(headerLine);
        }
        return csvColumns;
    }
}
