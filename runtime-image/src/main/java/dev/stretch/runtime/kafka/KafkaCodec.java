package dev.stretch.runtime.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.stretch.model.KafkaFormat;
import dev.stretch.model.KafkaFormatSpec;
import dev.stretch.runtime.pipeline.Row;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a Kafka record's key or value into record fields and back: JSON (an object's fields), CSV (one line,
 * values named by {@code columns}, typed as {@code Long}, else {@code Double}, else text) or raw (UTF-8 text
 * in one field). Numbers come out as the pipeline's types ({@code Long}, {@code Double}).
 */
final class KafkaCodec {
    /** Why a key or value cannot be decoded; the message names the problem, not the record. */
    static final class Malformed extends Exception {
        Malformed(String problem) {
            super(problem, null, false, false);
        }
    }

    private static final ObjectReader JSON_READER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readerFor(Object.class);
    private static final ObjectWriter JSON_WRITER = new ObjectMapper().writer();
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private final KafkaFormat format;
    private final String field;
    private final List<String> columns;
    private final ObjectReader csvReader;
    private final ObjectWriter csvWriter;
    private final String what;

    /**
     * @param spec the encoding; null: {@code defaultFormat}
     * @param defaultField raw's field when the spec names none
     * @param what "key" or "value", for messages
     */
    KafkaCodec(KafkaFormatSpec spec, KafkaFormat defaultFormat, String defaultField, String what) {
        this.format = spec == null || spec.getFormat() == null ? defaultFormat : spec.getFormat();
        this.field = spec == null || spec.getField() == null ? defaultField : spec.getField();
        this.columns = spec == null || spec.getColumns() == null ? null : List.copyOf(spec.getColumns());
        this.what = what;
        if (format == KafkaFormat.CSV && (columns == null || columns.isEmpty())) {
            throw new IllegalArgumentException(what + ".columns: required for the csv format");
        }
        CsvMapper csv = new CsvMapper();
        this.csvReader = csv.readerFor(String[].class).with(CsvSchema.emptySchema());
        this.csvWriter = csv.writerFor(Object[].class).with(CsvSchema.emptySchema().withLineSeparator(""));
    }

    KafkaFormat format() {
        return format;
    }

    /** The raw format's field (null for json/csv). */
    String rawField() {
        return format == KafkaFormat.RAW ? field : null;
    }

    /** Adds the fields {@code bytes} hold to {@code into}; null bytes add nothing. */
    @SuppressWarnings("unchecked")
    void decode(byte[] bytes, Map<String, Object> into) throws Malformed {
        if (bytes == null) {
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        switch (format) {
            case RAW -> into.put(field, text);
            case JSON -> {
                Object v;
                try {
                    v = JSON_READER.readValue(text);
                } catch (JsonProcessingException e) {
                    throw new Malformed("the " + what + " is not valid JSON: " + e.getOriginalMessage());
                }
                if (!(v instanceof Map)) {
                    throw new Malformed("the " + what + " is not a JSON object");
                }
                for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                    into.put(e.getKey(), normalise(e.getValue()));
                }
            }
            case CSV -> {
                String[] values;
                try {
                    values = csvReader.readValue(text);
                } catch (JsonProcessingException e) {
                    throw new Malformed("the " + what + " is not valid CSV: " + e.getOriginalMessage());
                }
                if (values.length != columns.size()) {
                    throw new Malformed("the " + what + " has " + values.length + " CSV values for the "
                            + columns.size() + " columns " + columns);
                }
                for (int i = 0; i < values.length; i++) {
                    into.put(columns.get(i), cell(values[i]));
                }
            }
            default -> throw new IllegalStateException(format.toString());
        }
    }

    /** The bytes of {@code record} in this encoding (json without columns: every field but hidden ones). */
    byte[] encode(Map<String, Object> record) {
        try {
            return switch (format) {
                case RAW -> {
                    Object v = record.get(field);
                    yield v == null ? null : String.valueOf(v).getBytes(StandardCharsets.UTF_8);
                }
                case JSON -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    if (columns != null) {
                        for (String c : columns) {
                            out.put(c, record.get(c));
                        }
                    } else {
                        for (Map.Entry<String, Object> e : record.entrySet()) {
                            if (!KafkaJob.ORIGIN.equals(e.getKey())) {
                                out.put(e.getKey(), e.getValue());
                            }
                        }
                    }
                    yield JSON_WRITER.writeValueAsBytes(out);
                }
                case CSV -> {
                    Object[] values = new Object[columns.size()];
                    for (int i = 0; i < values.length; i++) {
                        Object v = record.get(columns.get(i));
                        values[i] = v instanceof Map || v instanceof List ? JSON_WRITER.writeValueAsString(v) : v;
                    }
                    yield csvWriter.writeValueAsBytes(values);
                }
            };
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a record as " + format.wireName() + ": " + e.getOriginalMessage(), e);
        }
    }

    static Object cell(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text.strip();
        if (INTEGER.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(t);
            }
        }
        if (DECIMAL.matcher(t).matches()) {
            return Double.parseDouble(t);
        }
        return text;
    }

    @SuppressWarnings("unchecked")
    static Object normalise(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                out.put(e.getKey(), normalise(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(normalise(o));
            }
            return out;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof BigInteger || v instanceof BigDecimal || v instanceof Float) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    /** A fresh record to decode into. */
    static Map<String, Object> newRecord() {
        return new Row(8);
    }
}
