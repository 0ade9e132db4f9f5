package dev.stretch.runtime.cli;

import dev.stretch.model.FieldError;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Reads and validates a job file; every error is printed with its path. */
final class JobFiles {
    private JobFiles() {
    }

    /** The outcome: the document when valid, else the errors. */
    record Loaded(StreamJobManifest manifest, List<FieldError> errors) {
        boolean ok() {
            return errors.isEmpty();
        }
    }

    static Loaded load(Path file) {
        StreamJobReader.Result r = StreamJobReader.read(file);
        return new Loaded(r.manifest(), r.allErrors());
    }

    static void printErrors(Path file, List<FieldError> errors, PrintStream out) {
        for (FieldError e : errors) {
            out.println(e);
        }
        out.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + file);
    }
}
