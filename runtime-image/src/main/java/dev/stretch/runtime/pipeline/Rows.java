package dev.stretch.runtime.pipeline;

import dev.stretch.api.BadRecordException;
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
        return longValue(r, field, null);
    }

    /**
     * A numeric field as a long; a bad record naming the field when it is missing or not a number.
     *
     * @param use what the field is used for ("the key of 'counts'"), or null
     */
    public static long longValue(Map<String, Object> r, String field, String use) {
        Object v = r.get(field);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw notANumber(r, field, v, use);
    }

    public static double doubleValue(Map<String, Object> r, String field) {
        Object v = r.get(field);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw notANumber(r, field, v, null);
    }

    private static BadRecordException notANumber(Map<String, Object> r, String field, Object v, String use) {
        String what = v == null ? (r.containsKey(field) ? "null" : "missing")
                : "not a number but " + (v instanceof String s ? "'" + s + "'" : String.valueOf(v));
        return new BadRecordException("field '" + field + "' is " + what + (use == null ? "" : "; it is " + use));
    }

    /**
     * Hidden field: the Kafka partition (split index) a record came from, kept through stateless stages and in
     * the results of a window keyed by the topic's key, so that a Kafka sink knows each result's partition.
     * Sinks leave it out.
     */
    public static final String ORIGIN = "__stretch_partition";

    /** A window key together with the partition its records come from (see {@link #ORIGIN}). */
    public record OriginKey(Object key, Long origin) {
    }

    /** A record without the hidden {@link #ORIGIN} field (the record itself when it has none). */
    public static Map<String, Object> withoutOrigin(Map<String, Object> r) {
        if (!r.containsKey(ORIGIN)) {
            return r;
        }
        Map<String, Object> copy = new Row(r);
        copy.remove(ORIGIN);
        return copy;
    }

    /** The output record of a window aggregation. */
    public static Map<String, Object> windowRow(String keyField, Object key, TimeWindow w, String as, Object value) {
        Map<String, Object> m = new Row(5);
        if (key instanceof OriginKey ok) {
            m.put(keyField, ok.key());
            m.put(ORIGIN, ok.origin());
        } else {
            m.put(keyField, key);
        }
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
