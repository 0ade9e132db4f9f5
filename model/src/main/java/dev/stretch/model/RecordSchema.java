package dev.stretch.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields a stage of a declarative pipeline is known to receive, with their CEL types, where they are
 * known: a generator's records are {ts, key, value}; a map adds fields; a window emits its key, the window
 * bounds and its result. A file's records are not known in advance: their schema is open, and any
 * field name is accepted (typed dynamically).
 */
public final class RecordSchema {
    /** CEL types of fields. */
    public enum FieldType { INT, DOUBLE, STRING, BOOL, MAP, DYN }

    private final Map<String, FieldType> fields;
    private final boolean open;

    private RecordSchema(Map<String, FieldType> fields, boolean open) {
        this.fields = Collections.unmodifiableMap(fields);
        this.open = open;
    }

    public static RecordSchema open() {
        return new RecordSchema(new LinkedHashMap<>(), true);
    }

    public static RecordSchema of(Map<String, FieldType> fields) {
        return new RecordSchema(new LinkedHashMap<>(fields), false);
    }

    /** The generator's records. */
    public static RecordSchema generator() {
        Map<String, FieldType> f = new LinkedHashMap<>();
        f.put("ts", FieldType.INT);
        f.put("key", FieldType.INT);
        f.put("value", FieldType.INT);
        return of(f);
    }

    public Map<String, FieldType> fields() {
        return fields;
    }

    public boolean isOpen() {
        return open;
    }

    public boolean has(String field) {
        return open || fields.containsKey(field);
    }

    public FieldType typeOf(String field) {
        return fields.getOrDefault(field, FieldType.DYN);
    }

    public RecordSchema with(String field, FieldType type) {
        Map<String, FieldType> f = new LinkedHashMap<>(fields);
        f.put(field, type);
        return new RecordSchema(f, open);
    }

    public RecordSchema without(String field) {
        Map<String, FieldType> f = new LinkedHashMap<>(fields);
        f.remove(field);
        return new RecordSchema(f, open);
    }

    @Override
    public String toString() {
        return (open ? "open" : "closed") + fields;
    }
}
