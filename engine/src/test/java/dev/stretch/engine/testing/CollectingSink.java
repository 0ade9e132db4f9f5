package dev.stretch.engine.testing;

import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects what reaches it, with timestamps, in arrival order. Thread-safe. */
public final class CollectingSink<T> implements Sink<T> {
    private final List<String> records = Collections.synchronizedList(new ArrayList<>());
    private final List<T> values = Collections.synchronizedList(new ArrayList<>());

    @Override
    public SinkWriter<T> createWriter(int instance) {
        return (element, timestamp) -> {
            records.add(timestamp + " " + element);
            values.add(element);
        };
    }

    /** "timestamp element" lines in arrival order. */
    public List<String> lines() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    public List<T> values() {
        synchronized (values) {
            return new ArrayList<>(values);
        }
    }
}
