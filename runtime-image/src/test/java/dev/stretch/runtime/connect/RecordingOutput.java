package dev.stretch.runtime.connect;

import dev.stretch.api.ReadResult;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link SourceOutput} that remembers everything a reader gave it, in order. */
final class RecordingOutput implements SourceOutput<Map<String, Object>> {
    record Emitted(Map<String, Object> record, long timestamp) {
    }

    record Malformed(String raw, String reason) {
    }

    final List<Emitted> emitted = new ArrayList<>();
    final List<Long> progress = new ArrayList<>();
    final List<Malformed> malformed = new ArrayList<>();

    @Override
    public void collect(Map<String, Object> element, long timestamp) {
        emitted.add(new Emitted(element, timestamp));
    }

    @Override
    public void collect(Map<String, Object> element) {
        collect(element, Long.MIN_VALUE);
    }

    @Override
    public void markProgress(long timestamp) {
        progress.add(timestamp);
    }

    @Override
    public void malformed(String rawRecord, String reason) {
        malformed.add(new Malformed(rawRecord, reason));
    }

    List<Long> timestamps() {
        return emitted.stream().map(Emitted::timestamp).toList();
    }

    List<Map<String, Object>> records() {
        return emitted.stream().map(Emitted::record).toList();
    }

    /** Reads until the split ends; fails if it idles or does not end within {@code maxReads} reads. */
    static RecordingOutput drain(SplitReader<Map<String, Object>> reader, int maxReads) throws Exception {
        RecordingOutput out = new RecordingOutput();
        for (int i = 0; i < maxReads; i++) {
            ReadResult r = reader.read(out);
            if (r.isEnd()) {
                reader.close();
                return out;
            }
            if (r.isIdle()) {
                throw new AssertionError("reader idled after " + out.emitted.size() + " records");
            }
        }
        throw new AssertionError("reader did not end within " + maxReads + " reads");
    }
}
