package dev.stretch.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The type a Kubernetes API server gives a schema node in CEL, with the sizes its cost estimator uses: a port of
 * {@code SchemaDeclType} (k8s.io/apiextensions-apiserver, schema/cel/model/schemas.go) and of the size constants of
 * k8s.io/apiserver/pkg/cel. Formats (date, duration, byte) are not handled: our CRD uses none, and a schema that
 * did would be refused by {@link #of} rather than estimated wrongly.
 *
 * @param kind CEL kind of the node
 * @param fields object properties by (escaped) name, for {@code OBJECT}
 * @param elem item type of a list, value type of a map
 * @param maxElements most characters (strings, in bytes: maxLength × 4), items (lists) or entries (maps)
 * @param minSerializedSize the smallest JSON this node can have, which bounds how often it fits in a request
 */
public record DeclType(Kind kind, Map<String, Field> fields, DeclType elem, long maxElements, long minSerializedSize) {
    /** apiserver/pkg/cel MaxRequestSizeBytes: the largest request an API server accepts (3 MiB). */
    public static final long MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;
    static final long MIN_STRING_SIZE = 2; // ""
    static final long MIN_BOOL_SIZE = 4; // true
    static final long MIN_NUMBER_SIZE = 1; // 0
    /** CEL reserved words: a property with such a name is reached as {@code __name__}. */
    static final Set<String> RESERVED = Set.of("true", "false", "null", "in", "as", "break", "const", "continue", "else",
            "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while");

    public enum Kind { OBJECT, MAP, LIST, STRING, INT, DOUBLE, BOOL, DYN }

    public record Field(DeclType type, boolean required) {
    }

    /** The CEL type of a structural schema node; {@code root} for the root of a custom resource. */
    public static DeclType of(JsonNode s, boolean root) {
        if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return new DeclType(Kind.DYN, Map.of(), null, MAX_REQUEST_SIZE_BYTES - 2, 1);
        }
        String type = s.path("type").asText("");
        switch (type) {
            case "array" -> {
                DeclType items = of(s.path("items"), false);
                long max = s.has("maxItems") ? Math.max(0, s.get("maxItems").asLong())
                        : (MAX_REQUEST_SIZE_BYTES - 2) / (items.minSerializedSize + 1);
                return new DeclType(Kind.LIST, Map.of(), items, max, 2);
            }
            case "object" -> {
                JsonNode additional = s.get("additionalProperties");
                if (additional != null && additional.isObject()) {
                    DeclType values = of(additional, false);
                    long max = s.has("maxProperties") ? Math.max(0, s.get("maxProperties").asLong())
                            : (MAX_REQUEST_SIZE_BYTES - 2) / (values.minSerializedSize + 6);
                    return new DeclType(Kind.MAP, Map.of(), values, max, 2);
                }
                Map<String, Field> fields = new LinkedHashMap<>();
                Set<String> required = new java.util.HashSet<>();
                s.path("required").forEach(r -> required.add(r.asText()));
                long minSize = 2; // {}
                for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> p = it.next();
                    DeclType t = of(p.getValue(), false);
                    String escaped = escape(p.getKey());
                    if (escaped != null) {
                        fields.put(escaped, new Field(t, required.contains(p.getKey())));
                    }
                    if (required.contains(p.getKey()) && !p.getValue().has("default")) {
                        minSize += p.getKey().length() + t.minSerializedSize + 4;
                    }
                }
                if (root) {
                    // apiVersion, kind, metadata.name and metadata.generateName are always visible at the root
                    DeclType string = string(-1);
                    fields.putIfAbsent("apiVersion", new Field(string, false));
                    fields.putIfAbsent("kind", new Field(string, false));
                    Map<String, Field> meta = new LinkedHashMap<>();
                    meta.put("name", new Field(string, false));
                    meta.put("generateName", new Field(string, false));
                    fields.put("metadata", new Field(new DeclType(Kind.OBJECT, meta, null, 0, 2), false));
                }
                return new DeclType(Kind.OBJECT, fields, null, 0, minSize);
            }
            case "string" -> {
                if (s.has("format") && !s.get("format").asText().isEmpty()) {
                    throw new IllegalArgumentException("string format '" + s.get("format").asText()
                            + "' is not modelled by this estimator");
                }
                return string(s.has("maxLength") ? s.get("maxLength").asLong() : -1);
            }
            case "boolean" -> {
                return new DeclType(Kind.BOOL, Map.of(), null, 0, MIN_BOOL_SIZE);
            }
            case "number" -> {
                return new DeclType(Kind.DOUBLE, Map.of(), null, 0, MIN_NUMBER_SIZE);
            }
            case "integer" -> {
                return new DeclType(Kind.INT, Map.of(), null, 0, MIN_NUMBER_SIZE);
            }
            default -> throw new IllegalArgumentException("no CEL type for schema type '" + type + "'");
        }
    }

    /** A string of at most {@code maxLength} code points (-1: unbounded), counted in bytes as the server does. */
    static DeclType string(long maxLength) {
        return new DeclType(Kind.STRING, Map.of(), null,
                maxLength >= 0 ? maxLength * 4 : MAX_REQUEST_SIZE_BYTES - 2, MIN_STRING_SIZE);
    }

    /**
     * How often a node of this type could occur in one request when nothing above it bounds it
     * (celmodel.MaxCardinality).
     */
    public long maxCardinality() {
        return MAX_REQUEST_SIZE_BYTES / (minSerializedSize + 1);
    }

    /** A property name as CEL sees it (apiserver/pkg/cel Escape), or null when it cannot be reached from CEL. */
    static String escape(String name) {
        if (RESERVED.contains(name)) {
            return "__" + name + "__";
        }
        if (!name.matches("[_a-zA-Z][_a-zA-Z0-9.\\-/]*")) {
            return null;
        }
        return name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
                .replace("/", "__slash__");
    }
}
