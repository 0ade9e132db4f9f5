package dev.stretch.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads a StreamJob document (YAML or JSON) and reports every structural problem at once (unknown
 * fields, values of the wrong type, unknown enum values), each with its path, instead of stopping at the
 * first one. Semantic checks are {@link StreamJobValidator}'s.
 */
public final class StreamJobReader {
    private StreamJobReader() {
    }

    /** What was read: the document (possibly partial) and the problems found. */
    public record Result(StreamJobManifest manifest, List<FieldError> errors) {
        public boolean ok() {
            return errors.isEmpty() && manifest != null;
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
        List<FieldError> errors = new ArrayList<>();
        ObjectMapper m = yamlMapper();
        m.addHandler(new Collector(errors));
        StreamJobManifest manifest;
        try {
            manifest = m.readValue(text, StreamJobManifest.class);
        } catch (IOException e) {
            String msg = e.getMessage();
            int nl = msg.indexOf('\n');
            errors.add(new FieldError("(document)", "not a readable job document: " + (nl > 0 ? msg.substring(0, nl) : msg)));
            return new Result(null, errors);
        }
        if (manifest == null) {
            errors.add(new FieldError("(document)", "the document is empty"));
        }
        return new Result(manifest, errors);
    }

    /** The path of the parser's current position, e.g. {@code spec.pipeline[2].window}. */
    static String pathOf(JsonParser p, String lastField) {
        List<String> parts = new ArrayList<>();
        JsonStreamContext c = p.getParsingContext();
        // For a value inside an object the current context is that object with its current name set.
        while (c != null && !c.inRoot()) {
            if (c.inArray()) {
                parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            }
            c = c.getParent();
        }
        if (lastField != null) {
            parts.add("." + lastField);
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s.isEmpty() ? "(document)" : s;
    }

    /** Turns Jackson's problems into path-named errors and carries on. */
    private static final class Collector extends DeserializationProblemHandler {
        private final List<FieldError> errors;

        Collector(List<FieldError> errors) {
            this.errors = errors;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                Object beanOrClass, String propertyName) throws IOException {
            Collection<Object> known = deserializer.getKnownPropertyNames();
            String path = pathOf(p, null);
            if (!path.endsWith("." + propertyName) && !path.equals(propertyName)) {
                path = path.equals("(document)") ? propertyName : path + "." + propertyName;
            }
            String hint = closest(propertyName, known);
            errors.add(new FieldError(path, "unknown field" + (hint == null ? "" : "; did you mean '" + hint + "'?")
                    + (known.isEmpty() ? "" : " (known: " + sorted(known) + ")")));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                String failureMsg) {
            String path = pathOf(ctxt.getParser(), null);
            if (targetType.isEnum()) {
                errors.add(new FieldError(path, "'" + valueToConvert + "' is not one of " + enumNames(targetType)));
            } else {
                errors.add(new FieldError(path, "'" + valueToConvert + "' is not a valid " + typeName(targetType)));
            }
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                String failureMsg) {
            String path = pathOf(ctxt.getParser(), null);
            if (targetType == String.class) { // a quantity (QuantityDeserializer): Kubernetes admits no fractions
                errors.add(new FieldError(path, valueToConvert + " is not a Kubernetes quantity: write a whole number,"
                        + " or a string such as \"" + valueToConvert + "\" or \"500m\""));
                return null;
            }
            errors.add(new FieldError(path, valueToConvert + " is not a valid " + typeName(targetType)
                    + (targetType.isEnum() ? "; expected one of " + enumNames(targetType) : "")));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                String failureMsg) throws IOException {
            String path = pathOf(p, null);
            errors.add(new FieldError(path, "expected " + typeName(targetType.getRawClass()) + ", found " + tokenName(t)));
            p.skipChildren();
            return null;
        }

        private static String tokenName(JsonToken t) {
            return switch (t) {
                case START_OBJECT -> "a mapping";
                case START_ARRAY -> "a list";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                default -> t.toString().toLowerCase();
            };
        }

        private static String typeName(Class<?> c) {
            if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
                return "integer";
            }
            if (c == Double.class || c == double.class) {
                return "number";
            }
            if (c == Boolean.class || c == boolean.class) {
                return "boolean (true or false)";
            }
            if (c == String.class) {
                return "string";
            }
            if (List.class.isAssignableFrom(c)) {
                return "list";
            }
            if (c.isEnum()) {
                return "value";
            }
            return "mapping";
        }

        private static List<String> enumNames(Class<?> e) {
            List<String> out = new ArrayList<>();
            for (Object c : e.getEnumConstants()) {
                try {
                    com.fasterxml.jackson.annotation.JsonProperty jp = e.getField(((Enum<?>) c).name())
                            .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                    out.add(jp != null ? jp.value() : ((Enum<?>) c).name());
                } catch (NoSuchFieldException ex) {
                    out.add(((Enum<?>) c).name());
                }
            }
            return out;
        }

        private static List<String> sorted(Collection<Object> known) {
            return known.stream().map(String::valueOf).sorted().toList();
        }

        private static String closest(String name, Collection<Object> known) {
            String best = null;
            int bestD = Integer.MAX_VALUE;
            for (Object k : known) {
                int d = distance(name.toLowerCase(), String.valueOf(k).toLowerCase());
                if (d < bestD) {
                    bestD = d;
                    best = String.valueOf(k);
                }
            }
            return bestD <= Math.max(2, name.length() / 3) ? best : null;
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
}
