package dev.stretch.runtime.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A record of a declarative pipeline: field name → Long, Double, String, Boolean, Map, List or null, in
 * the order the fields came. It is an ordinary {@link LinkedHashMap} whose text is its JSON, so wherever
 * the engine shows a record (a dead letter, the message of a failed job) it appears as the user wrote or
 * reads it, {@code {"user":"ann","amount":12.5}}, not as Java's {@code {user=ann, amount=12.5}}.
 */
public final class Row extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Row() {
    }

    public Row(int expectedFields) {
        super(Math.max(4, expectedFields * 2));
    }

    public Row(Map<String, Object> fields) {
        super(fields);
    }

    /** Compact JSON. */
    @Override
    public String toString() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            return super.toString(); // a value Jackson cannot write (none of the record value types)
        }
    }
}
