package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a StreamJob document (YAML or JSON) and reports every structural problem at once, each with its
 * path and in the words of the document, not of Java: unknown fields, a scalar where a mapping is
 * expected, a list item that is empty, a value of the wrong type, an unknown enum value, a number out of
 * range. The document is first read into a tree; each node is checked against the model class it binds
 * to, and the node is removed when it is wrong, so one mistake hides nothing else and the rest of the
 * document still reaches {@link StreamJobValidator}. Semantic checks are the validator's;
 * {@link Result#allErrors()} runs it and merges both.
 */
public final class StreamJobReader {
    private static final int MAX_LISTED_FIELDS = 8;

    private StreamJobReader() {
    }

    /** What was read: the document (possibly partial) and the problems found. */
    public record Result(StreamJobManifest manifest, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty() && manifest != null;
        }

        /**
         * The reader's errors followed by the validator's, leaving out the validator's errors at or under a
         * path the reader already reported (the reader removed what was wrong there; "required" would only
         * repeat it).
         */
        public List<FieldError> allErrors() {
            List<FieldError> all = new ArrayList<>(errors);
            if (manifest == null) {
                return all;
            }
            for (FieldError v : StreamJobValidator.validate(manifest)) {
                boolean covered = errors.stream().anyMatch(r -> v.path().equals(r.path())
                        || v.path().startsWith(r.path() + ".") || v.path().startsWith(r.path() + "["));
                if (!covered && !all.contains(v)) {
                    all.add(v);
                }
            }
            return all;
        }
    }

    /** The mapper used for job documents everywhere (reading and writing). */
    public static ObjectMapper yamlMapper() {
        return YAMLMapper.builder(new YAMLFactory())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .findAndAddModules()
                .build();
    }

    public static ObjectMapper jsonMapper() {
        return JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    }

    public static Result read(Path file) {
        try {
            return read(Files.readString(file));
        } catch (NoSuchFileException e) {
            return new Result(null, List.of(new FieldError(file.toString(), "no such file")));
        } catch (IOException e) {
            return new Result(null, List.of(new FieldError(file.toString(), "cannot read: " + e.getMessage())));
        }
    }

    /** Reads a document from text (YAML; JSON is YAML too). */
    public static Result read(String text) {
        ObjectMapper m = yamlMapper();
        JsonNode root;
        try {
            root = m.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(text);
        } catch (JsonProcessingException e) {
            return new Result(null, List.of(new FieldError("(document)", syntaxError(e))));
        } catch (IOException e) {
            return new Result(null, List.of(new FieldError("(document)", "cannot read: " + e.getMessage())));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new Result(null, List.of(new FieldError("(document)", "the document is empty")));
        }
        if (!root.isObject()) {
            return new Result(null, List.of(new FieldError("(document)", "expected a StreamJob (a mapping with "
                    + "apiVersion, kind, metadata and spec), found " + found(root))));
        }
        Checker c = new Checker(m);
        JsonNode clean = c.check(root, m.constructType(StreamJobManifest.class), "");
        StreamJobManifest manifest;
        try {
            manifest = m.treeToValue(clean, StreamJobManifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // Every node was checked against its class, so this is a gap in the checker, not the user's error.
            c.errors.add(new FieldError("(document)", "could not be read: " + e.getMessage().lines().findFirst().orElse("")));
            return new Result(null, c.errors);
        }
        return new Result(manifest, c.errors);
    }

    /** A YAML syntax error with its line and column, without the parser's class names. */
    private static String syntaxError(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String problem = e.getOriginalMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getClass().getSimpleName().equals("MarkedYAMLException")) {
            problem = cause.getMessage();
        }
        String first = problem == null ? "" : problem.lines().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("in 'reader'") && !l.startsWith("at [Source"))
                .reduce((a, b) -> a + "; " + b).orElse("");
        first = first.replaceAll("\\s*\\^\\s*", " ").replaceAll(" +", " ");
        String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        if (problem != null && problem.startsWith("Duplicate field")) {
            return where + problem.replaceFirst("Duplicate field '([^']*)'.*", "the field '$1' appears twice");
        }
        return where + "not valid YAML: " + first;
    }

    /** How a node looks to the person who wrote it. */
    static String found(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return n.isEmpty() ? "an empty list" : "a list";
        }
        if (n.isTextual()) {
            String s = n.asText();
            if (s.isEmpty()) {
                return "an empty string";
            }
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isNumber()) {
            return "the number " + numberText(n);
        }
        return n.asText();
    }

    /** A number as it was probably written: {@code 1e308}, not {@code 1.0E308}. */
    private static String numberText(JsonNode n) {
        return n.isFloatingPointNumber() ? n.asText().replace(".0E", "e").replace("E", "e") : n.asText();
    }

    /** Walks the tree against the model's classes, collecting errors and pruning what is wrong. */
    private static final class Checker {
        private final ObjectMapper mapper;
        final List<FieldError> errors = new ArrayList<>();

        Checker(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        private void err(String path, String message) {
            errors.add(new FieldError(path.isEmpty() ? "(document)" : path, message));
        }

        /** The node as it binds to {@code t}, or {@code null} when it is wrong (the error is recorded). */
        JsonNode check(JsonNode n, JavaType t, String path) {
            Class<?> c = t.getRawClass();
            if (c == String.class) {
                return string(n, path);
            }
            if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
                return integer(n, path, c == Integer.class || c == int.class);
            }
            if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
                return number(n, path);
            }
            if (c == Boolean.class || c == boolean.class) {
                if (n.isBoolean() || n.isNull()) {
                    return n;
                }
                err(path, "expected true or false, found " + found(n));
                return null;
            }
            if (c.isEnum()) {
                return enumValue(n, c, path);
            }
            if (t.isCollectionLikeType()) {
                return list(n, t.getContentType(), path);
            }
            if (t.isMapLikeType()) {
                return map(n, t.getContentType(), path);
            }
            if (c.getPackageName().equals(StreamJobReader.class.getPackageName())) {
                return bean(n, t, path);
            }
            return n; // a type the model does not constrain further
        }

        private JsonNode string(JsonNode n, String path) {
            if (n.isTextual() || n.isNull()) {
                return n;
            }
            if (n.isFloatingPointNumber() && ResourcesSpec.isQuantityPath(path)) {
                // quantities are x-kubernetes-int-or-string in the CRD: the API server refuses `cpu: 0.5`
                err(path, n.asText() + " is not a Kubernetes quantity: write a whole number, or a string such as \""
                        + n.asText() + "\" or \"500m\"");
                return null;
            }
            if (n.isNumber() || n.isBoolean()) {
                return TextNode.valueOf(n.asText()); // YAML reads `size: 10` as a number; the validator judges the text
            }
            err(path, "expected a string, found " + found(n));
            return null;
        }

        private JsonNode integer(JsonNode n, String path, boolean isInt) {
            if (n.isNull()) {
                return n;
            }
            String range = isInt ? "between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE
                    : "between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
            if (n.isIntegralNumber()) {
                if (isInt ? n.canConvertToInt() : n.canConvertToLong()) {
                    return n;
                }
                err(path, n.asText() + " is out of range; expected a whole number " + range);
                return null;
            }
            if (n.isNumber()) {
                BigDecimal d = n.decimalValue();
                boolean whole = d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
                err(path, numberText(n) + (whole ? " is out of range; expected a whole number " + range
                        : " is not a whole number"));
                return null;
            }
            if (n.isTextual()) {
                err(path, found(n) + " is not a whole number");
                return null;
            }
            err(path, "expected a whole number, found " + found(n));
            return null;
        }

        private JsonNode number(JsonNode n, String path) {
            if (n.isNull()) {
                return n;
            }
            if (n.isNumber()) {
                if (Double.isFinite(n.doubleValue())) {
                    return n;
                }
                err(path, numberText(n) + " is out of range");
                return null;
            }
            if (n.isTextual()) {
                err(path, found(n) + " is not a number");
                return null;
            }
            err(path, "expected a number, found " + found(n));
            return null;
        }

        private JsonNode enumValue(JsonNode n, Class<?> e, String path) {
            if (n.isNull()) {
                return n;
            }
            List<String> names = enumNames(e);
            if (n.isTextual() && names.contains(n.asText())) {
                return n;
            }
            if (n.isTextual()) {
                String hint = closest(n.asText(), names);
                err(path, (n.asText().isEmpty() ? "an empty string" : found(n)) + " is not one of " + names
                        + (hint == null ? "" : "; did you mean '" + hint + "'?"));
            } else {
                err(path, "expected one of " + names + ", found " + found(n));
            }
            return null;
        }

        private JsonNode list(JsonNode n, JavaType item, String path) {
            if (n.isNull()) {
                return n;
            }
            if (!n.isArray()) {
                err(path, "expected a list of " + describe(item) + ", found " + found(n));
                return null;
            }
            boolean beans = isBean(item);
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            boolean dropped = false;
            for (int i = 0; i < n.size(); i++) {
                String p = path + "[" + i + "]";
                JsonNode e = n.get(i);
                JsonNode ok;
                if (e.isNull()) {
                    err(p, "an empty list item; expected " + describe(item));
                    ok = null;
                } else {
                    ok = check(e, item, p);
                }
                if (ok == null) {
                    if (!beans) {
                        dropped = true;
                        continue;
                    }
                    ok = JsonNodeFactory.instance.objectNode(); // keeps the indexes of the items after it
                }
                out.add(ok);
            }
            return dropped ? null : out;
        }

        private JsonNode map(JsonNode n, JavaType value, String path) {
            if (n.isNull()) {
                return n;
            }
            if (!n.isObject()) {
                err(path, "expected a mapping of names to " + describe(value) + ", found " + found(n));
                return null;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String p = path + "." + e.getKey();
                if (e.getValue().isNull()) {
                    err(p, "expected " + describe(value) + ", found nothing");
                    continue;
                }
                JsonNode ok = check(e.getValue(), value, p);
                if (ok != null) {
                    out.set(e.getKey(), ok);
                }
            }
            return out;
        }

        private JsonNode bean(JsonNode n, JavaType t, String path) {
            if (n.isNull()) {
                return JsonNodeFactory.instance.objectNode(); // `stdout:` means `stdout: {}`
            }
            Map<String, JavaType> props = properties(t);
            if (!n.isObject()) {
                err(path, "expected " + describe(t) + ", found " + found(n));
                return null;
            }
            JsonIgnoreProperties ignore = t.getRawClass().getAnnotation(JsonIgnoreProperties.class);
            Set<String> ignored = ignore == null ? Set.of() : Set.of(ignore.value());
            boolean ignoreUnknown = ignore != null && ignore.ignoreUnknown();
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String name = e.getKey();
                String p = path.isEmpty() ? name : path + "." + name;
                JavaType pt = props.get(name);
                if (pt == null) {
                    if (!ignored.contains(name) && !ignoreUnknown) {
                        String hint = closest(name, props.keySet());
                        err(p, "unknown field" + (hint == null ? "" : "; did you mean '" + hint + "'?")
                                + " (known: " + props.keySet().stream().sorted().toList() + ")");
                    }
                    continue;
                }
                JsonNode ok = check(e.getValue(), pt, p);
                if (ok != null) {
                    out.set(name, ok);
                }
            }
            return out;
        }

        private Map<String, JavaType> properties(JavaType t) {
            BeanDescription d = mapper.getDeserializationConfig().introspect(t);
            Map<String, JavaType> out = new LinkedHashMap<>();
            for (BeanPropertyDefinition p : d.findProperties()) {
                if (p.hasSetter() || p.hasField() || p.hasConstructorParameter()) {
                    out.put(p.getName(), p.getPrimaryType());
                }
            }
            return out;
        }

        private boolean isBean(JavaType t) {
            Class<?> c = t.getRawClass();
            return !c.isEnum() && !t.isContainerType() && c.getPackageName().equals(StreamJobReader.class.getPackageName());
        }

        /** What a value of type {@code t} is, for the person writing the document. */
        private String describe(JavaType t) {
            Class<?> c = t.getRawClass();
            if (c == String.class) {
                return "a string";
            }
            if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
                return "a whole number";
            }
            if (c == Double.class || c == double.class) {
                return "a number";
            }
            if (c == Boolean.class || c == boolean.class) {
                return "true or false";
            }
            if (c.isEnum()) {
                return "one of " + enumNames(c);
            }
            if (t.isCollectionLikeType()) {
                return "a list";
            }
            if (t.isMapLikeType()) {
                return "a mapping";
            }
            if (c == PipelineStage.class) {
                return "a stage (a mapping with one of source, map, filter, window, join, sink)";
            }
            Collection<String> fields = properties(t).keySet();
            return fields.isEmpty() || fields.size() > MAX_LISTED_FIELDS ? "a mapping"
                    : "a mapping with " + String.join(", ", fields);
        }
    }

    static List<String> enumNames(Class<?> e) {
        List<String> out = new ArrayList<>();
        for (Object c : e.getEnumConstants()) {
            try {
                JsonProperty jp = e.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
                out.add(jp != null ? jp.value() : ((Enum<?>) c).name());
            } catch (NoSuchFieldException ex) {
                out.add(((Enum<?>) c).name());
            }
        }
        return out;
    }

    private static String closest(String name, Collection<String> known) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return !name.isEmpty() && bestD > 0 && bestD <= Math.max(2, name.length() / 3) ? best
                : bestD == 0 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
