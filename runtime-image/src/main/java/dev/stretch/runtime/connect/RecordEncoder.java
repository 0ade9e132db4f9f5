package dev.stretch.runtime.connect;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.stretch.model.RecordFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a sink's elements into lines of a {@link RecordFormat}, appended to one writer's
 * {@link LineBuffer}:
 *
 * <ul>
 *   <li>jsonl: one JSON value a line (Jackson);</li>
 *   <li>csv: a header from the first record's fields, then one row a record in that column order; a
 *       field the header lacks is left out, a missing one is empty, a nested value is its JSON
 *       (Jackson CSV);</li>
 *   <li>text: {@code k=v k=v}, a value quoted as JSON when it is a string with spaces, '=' or quotes,
 *       or is nested.</li>
 * </ul>
 *
 * Records are {@code Map}s; other elements (a user job's {@code WindowResult}, any Java record or bean)
 * are written as the object Jackson makes of them, and anything Jackson cannot describe as its
 * {@code toString()}.
 */
abstract class RecordEncoder {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    final LineBuffer out;

    RecordEncoder(LineBuffer out) {
        this.out = out;
    }

    static RecordEncoder of(RecordFormat format, OutputTarget target, LineBuffer out) throws IOException {
        return switch (format == null ? RecordFormat.JSONL : format) {
            case JSONL -> new JsonLines(out);
            case CSV -> new Csv(target, out);
            case TEXT -> new Text(out);
        };
    }

    abstract void encode(Object element) throws IOException;

    /** The element as fields, or null if it is a scalar (or has no fields Jackson can see). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(Object element) {
        if (element instanceof Map<?, ?> m) {
            return dev.stretch.runtime.pipeline.Rows.withoutOrigin((Map<String, Object>) m);
        }
        if (element == null || isScalar(element) || element instanceof Collection || element.getClass().isArray()) {
            return null;
        }
        JsonNode tree = tree(element);
        return tree instanceof ObjectNode ? JSON.convertValue(tree, LinkedHashMap.class) : null;
    }

    /** The element in a form Jackson writes without surprises. */
    static Object jsonValue(Object element) {
        if (element == null || isScalar(element) || element instanceof Map || element instanceof Collection) {
            return element;
        }
        return tree(element);
    }

    private static JsonNode tree(Object element) {
        try {
            JsonNode tree = JSON.valueToTree(element);
            if (tree instanceof ObjectNode o && o.isEmpty()) {
                return TextNode.valueOf(String.valueOf(element));
            }
            return tree;
        } catch (IllegalArgumentException notSerialisable) {
            return TextNode.valueOf(String.valueOf(element));
        }
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character
                || v instanceof Enum;
    }

    /** One JSON value a line. */
    private static final class JsonLines extends RecordEncoder {
        private final JsonGenerator json;

        JsonLines(LineBuffer out) throws IOException {
            super(out);
            this.json = JSON.getFactory().createGenerator(out);
            // by default Jackson puts a space between root values; the newline is ours
            json.setRootValueSeparator(null);
        }

        @Override
        void encode(Object element) throws IOException {
            JSON.writeValue(json, jsonValue(element));
            json.flush();
            out.write('\n');
        }
    }

    /** CSV with a header, columns shared by all writers of the target. */
    private static final class Csv extends RecordEncoder {
        private final OutputTarget target;
        private final SequenceWriter rows;
        private List<String> columns;

        Csv(OutputTarget target, LineBuffer out) throws IOException {
            super(out);
            this.target = target;
            this.rows = CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n")).writeValues(out);
        }

        @Override
        void encode(Object element) throws IOException {
            Map<String, Object> fields = fields(element);
            if (fields == null) {
                fields = new LinkedHashMap<>();
                fields.put("value", jsonValue(element));
            }
            if (columns == null) {
                List<String> proposed = new ArrayList<>(fields.keySet().size());
                for (Object k : fields.keySet()) {
                    proposed.add(String.valueOf(k));
                }
                byte[] header = CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n"))
                        .writeValueAsBytes(proposed);
                columns = target.csvColumns(proposed, header);
            }
            Object[] row = new Object[columns.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = cell(fields.get(columns.get(i)));
            }
            rows.write(row);
            rows.flush();
        }

        private static Object cell(Object v) throws IOException {
            if (v == null) {
                return ""; // Jackson CSV drops a null array element instead of leaving the column empty
            }
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                return v;
            }
            Object j = jsonValue(v);
            return j instanceof TextNode t ? t.textValue() : JSON.writeValueAsString(j);
        }
    }

    /** {@code k=v k=v}. */
    private static final class Text extends RecordEncoder {
        private final StringBuilder line = new StringBuilder(128);

        Text(LineBuffer out) {
            super(out);
        }

        @Override
        void encode(Object element) throws IOException {
            line.setLength(0);
            Map<String, Object> fields = fields(element);
            if (fields == null) {
                Object j = jsonValue(element);
                line.append(j instanceof TextNode t ? t.textValue() : String.valueOf(element));
            } else {
                boolean first = true;
                for (Map.Entry<String, Object> e : fields.entrySet()) {
                    if (!first) {
                        line.append(' ');
                    }
                    first = false;
                    line.append(e.getKey()).append('=');
                    value(e.getValue());
                }
            }
            line.append('\n');
            out.write(line.toString());
        }

        private void value(Object v) throws IOException {
            if (v == null || v instanceof Number || v instanceof Boolean) {
                line.append(v);
            } else if (v instanceof String s && plain(s)) {
                line.append(s);
            } else if (v instanceof String || v instanceof Character || v instanceof Enum) {
                line.append(JSON.writeValueAsString(String.valueOf(v)));
            } else {
                line.append(JSON.writeValueAsString(jsonValue(v)));
            }
        }

        private static boolean plain(String s) {
            if (s.isEmpty()) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isWhitespace(c) || c == '=' || c == '"' || Character.isISOControl(c)) {
                    return false;
                }
            }
            return true;
        }
    }
}
