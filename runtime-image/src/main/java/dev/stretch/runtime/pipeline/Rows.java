package dev.stretch.runtime.pipeline;

import dev.stretch.api.TimeWindow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for the records of declarative pipelines ({@code Map<String, Object>}). */
public final class Rows {
    private Rows() {
    }

    /** A numeric field as a long; a bad record (with the field named) when it is missing or not a number. */
    public static long longValue(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("field '" + field + "' is " + (v == null ? "missing" : "not a number: " + v));
    }

    public static double doubleValue(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("field '" + field + "' is " + (v == null ? "missing" : "not a number: " + v));
    }

    /** The output record of a window aggregation. */
    public static Map<String, Object> windowRow(String keyField, Object key, TimeWindow w, String as, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(keyField, key);
        m.put("window_start", w.start());
        m.put("window_end", w.end());
        m.put(as, value);
        return m;
    }

    /** Brings a value from CEL or JSON to the record value types: Long, Double, String, Boolean, Map, List, null. */
    @SuppressWarnings("unchecked")
    public static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof Byte b) {
            return b.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof com.google.common.primitives.UnsignedLong u) {
            return u.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), normalize(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Rows::normalize).toList();
        }
        if (v instanceof com.google.protobuf.NullValue) {
            return null;
        }
        return v;
    }
}
