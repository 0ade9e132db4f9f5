package dev.stretch.operator.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a Kubernetes API server checks when a CustomResourceDefinition is created, for the parts the Fabric8 mock
 * server ignores: the structural-schema invariants (k8s.io/apiextensions-apiserver {@code schema/validation.go}
 * and {@code ValidateCustomResourceDefinitionOpenAPISchema}), the {@code x-kubernetes-list-type} rules, the
 * subresource paths, and every {@code x-kubernetes-validations} rule: it must compile against the schema's types and
 * its estimated cost, multiplied by how often it can run in one object, must fit the per-rule budget, and all rules
 * together the per-CRD budget ({@code validation.go}: {@code getExpressionCost}, {@code TotalCost}).
 *
 * <p>{@link #check} returns the problems, each prefixed with its path, as an API server would list them.
 */
public final class CrdAdmission {
    /** apiextensions validation StaticEstimatedCostLimit: the most one rule may cost. */
    public static final long RULE_COST_LIMIT = 10_000_000L;
    /** apiextensions validation StaticEstimatedCRDCostLimit: the most all rules of a CRD may cost together. */
    public static final long CRD_COST_LIMIT = 100_000_000L;
    static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean", "array", "object");
    static final Set<String> FORBIDDEN = Set.of("$ref", "$schema", "id", "definitions", "patternProperties",
            "dependencies", "additionalItems", "uniqueItems");
    static final Set<String> STRUCTURAL_OFFENDERS = Set.of("type", "description", "default", "nullable", "title",
            "additionalProperties", "externalDocs", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations");

    /** One rule's estimate: where it sits, its cost per evaluation, and its cost times its cardinality. */
    public record RuleCost(String path, String rule, long cost, long cardinality, long total) {
    }

    private final List<String> problems = new ArrayList<>();
    private final List<RuleCost> costs = new ArrayList<>();
    private int structs;

    /** The problems an API server would report for this CRD (YAML or JSON as a tree); empty when it admits it. */
    public static CrdAdmission check(JsonNode crd) {
        CrdAdmission a = new CrdAdmission();
        a.crd(crd);
        return a;
    }

    public List<String> problems() {
        return problems;
    }

    public List<RuleCost> ruleCosts() {
        return costs;
    }

    public long totalCost() {
        long t = 0;
        for (RuleCost c : costs) {
            t = c.total() > Long.MAX_VALUE - t ? Long.MAX_VALUE : t + c.total();
        }
        return t;
    }

    private void crd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        String plural = spec.path("names").path("plural").asText();
        String group = spec.path("group").asText();
        if (!crd.path("metadata").path("name").asText().equals(plural + "." + group)) {
            problems.add("metadata.name: must be spec.names.plural+\".\"+spec.group");
        }
        int storage = 0;
        for (int i = 0; i < spec.path("versions").size(); i++) {
            JsonNode v = spec.path("versions").get(i);
            String p = "spec.versions[" + i + "]";
            storage += v.path("storage").asBoolean(false) ? 1 : 0;
            JsonNode schema = v.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
                problems.add(p + ".schema.openAPIV3Schema: Required value: schemas are required");
                continue;
            }
            String sp = p + ".schema.openAPIV3Schema";
            int before = problems.size();
            structural(schema, Level.ROOT, sp);
            completeness(schema, sp);
            if (problems.size() == before) { // as the server: CEL only on a schema without schema errors
                rules(schema, sp, true, 1L);
            }
            subresources(v.path("subresources"), schema, p + ".subresources");
            columns(v.path("additionalPrinterColumns"), p + ".additionalPrinterColumns");
        }
        if (storage != 1) {
            problems.add("spec.versions: Invalid value: must have exactly one version marked as storage version");
        }
        long total = totalCost();
        if (total > CRD_COST_LIMIT) {
            problems.add("spec.validation.openAPIV3Schema: Forbidden: " + budget("total estimated rule cost", total,
                    CRD_COST_LIMIT));
        }
    }

    // ------------------------------------------------------------------ structural schema

    private enum Level { ROOT, ITEM, FIELD }

    private void structural(JsonNode s, Level level, String p) {
        for (String f : FORBIDDEN) {
            if (s.has(f)) {
                problems.add(p + "." + f + ": Forbidden: " + f + " is not supported");
            }
        }
        String type = s.path("type").asText("");
        boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean(false);
        boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (s.has("x-kubernetes-preserve-unknown-fields") && !preserve) {
            problems.add(p + ".x-kubernetes-preserve-unknown-fields: Invalid value: must be true or undefined");
        }
        if (!type.isEmpty() && !TYPES.contains(type)) {
            problems.add(p + ".type: Unsupported value: \"" + type + "\"");
        }
        if (type.isEmpty() && !intOrString && !preserve) {
            problems.add(p + ".type: Required value: must not be empty " + switch (level) {
                case ROOT -> "at the root";
                case ITEM -> "for specified array items";
                case FIELD -> "for specified object fields";
            });
        }
        if (level == Level.ROOT && !type.isEmpty() && !type.equals("object")) {
            problems.add(p + ".type: Invalid value: must be object at the root");
        }
        if (intOrString) {
            if (!type.isEmpty()) {
                problems.add(p + ".type: Forbidden: must be empty if x-kubernetes-int-or-string is true");
            }
            if (!isIntOrStringAnyOf(s.path("anyOf")) && !(s.path("allOf").size() > 0
                    && isIntOrStringAnyOf(s.path("allOf").get(0).path("anyOf")))) {
                problems.add(p + ": Invalid value: x-kubernetes-int-or-string needs anyOf [{type: integer}, {type: string}]");
            }
        }
        if (type.equals("array") && !s.has("items")) {
            problems.add(p + ".items: Required value: must be specified");
        }
        if (s.has("items") && !s.get("items").isObject()) {
            problems.add(p + ".items: Forbidden: items must be a schema object and not an array");
        }
        if (s.has("properties") && s.has("additionalProperties")) {
            problems.add(p + ".additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive");
        }
        if (s.has("additionalProperties") && level == Level.ROOT) {
            problems.add(p + ".additionalProperties: Forbidden: must not be used at the root");
        }
        if (s.has("default") && s.get("default").isNull()) {
            problems.add(p + ".default: Forbidden: must not be null");
        }
        if (s.has("default")) {
            defaultValue(s.get("default"), s, p + ".default");
        }
        if (s.has("pattern")) {
            pattern(s.get("pattern").asText(), p + ".pattern");
        }
        if (s.has("enum")) {
            for (JsonNode e : s.get("enum")) {
                if (!matchesType(e, type, intOrString)) {
                    problems.add(p + ".enum: Invalid value: " + e + " is not of type " + type);
                }
            }
        }
        listType(s, p);
        if (level == Level.ROOT && s.path("properties").has("metadata")) {
            JsonNode m = s.path("properties").path("metadata");
            for (Iterator<String> it = m.fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!k.equals("type") && !k.equals("properties")) {
                    problems.add(p + ".properties[metadata]: Forbidden: must not specify anything other than name and generateName");
                }
            }
            for (Iterator<String> it = m.path("properties").fieldNames(); it.hasNext();) {
                String k = it.next();
                if (!k.equals("name") && !k.equals("generateName")) {
                    problems.add(p + ".properties[metadata]: Forbidden: must not specify anything other than name and generateName");
                }
            }
        }
        for (String junctor : List.of("anyOf", "allOf", "oneOf")) {
            JsonNode j = s.path(junctor);
            boolean skip = junctor.equals("anyOf") && intOrString && isIntOrStringAnyOf(j);
            for (int i = 0; i < j.size(); i++) {
                if (!skip) {
                    nested(j.get(i), p + "." + junctor + "[" + i + "]");
                }
            }
        }
        if (s.has("not")) {
            nested(s.get("not"), p + ".not");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (level == Level.ROOT && e.getKey().equals("metadata")) {
                continue;
            }
            structural(e.getValue(), Level.FIELD, p + ".properties[" + e.getKey() + "]");
        }
        if (s.has("items") && s.get("items").isObject()) {
            structural(s.get("items"), Level.ITEM, p + ".items");
        }
        if (s.path("additionalProperties").isObject()) {
            structural(s.get("additionalProperties"), Level.FIELD, p + ".additionalProperties");
        }
    }

    private static boolean isIntOrStringAnyOf(JsonNode anyOf) {
        return anyOf.size() == 2 && anyOf.get(0).size() == 1 && anyOf.get(0).path("type").asText().equals("integer")
                && anyOf.get(1).size() == 1 && anyOf.get(1).path("type").asText().equals("string");
    }

    /** Value validations only under anyOf/allOf/oneOf/not: no types, descriptions, defaults or extensions. */
    private void nested(JsonNode v, String p) {
        for (String f : STRUCTURAL_OFFENDERS) {
            if (v.has(f)) {
                problems.add(p + "." + f + ": Forbidden: must be undefined to be structural");
            }
        }
        if (v.path("properties").has("metadata")) {
            problems.add(p + ".properties[metadata]: Forbidden: must not be specified in a nested context");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            nested(e.getValue(), p + ".properties[" + e.getKey() + "]");
        }
        if (v.has("items")) {
            nested(v.get("items"), p + ".items");
        }
        for (String junctor : List.of("anyOf", "allOf", "oneOf")) {
            for (int i = 0; i < v.path(junctor).size(); i++) {
                nested(v.path(junctor).get(i), p + "." + junctor + "[" + i + "]");
            }
        }
    }

    /** Every property or items named under a junctor must exist in the structural part too. */
    private void completeness(JsonNode s, String p) {
        for (String junctor : List.of("anyOf", "allOf", "oneOf")) {
            for (int i = 0; i < s.path(junctor).size(); i++) {
                covered(s.path(junctor).get(i), s, p + "." + junctor + "[" + i + "]");
            }
        }
        if (s.has("not")) {
            covered(s.get("not"), s, p + ".not");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            completeness(e.getValue(), p + ".properties[" + e.getKey() + "]");
        }
        if (s.path("items").isObject()) {
            completeness(s.get("items"), p + ".items");
        }
        if (s.path("additionalProperties").isObject()) {
            completeness(s.get("additionalProperties"), p + ".additionalProperties");
        }
    }

    private void covered(JsonNode v, JsonNode s, String p) {
        for (Iterator<Map.Entry<String, JsonNode>> it = v.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!s.path("properties").has(e.getKey())) {
                problems.add(p + ".properties[" + e.getKey() + "]: Required value: must be specified outside of value validations too");
            } else {
                covered(e.getValue(), s.path("properties").get(e.getKey()), p + ".properties[" + e.getKey() + "]");
            }
        }
        if (v.has("items")) {
            if (!s.has("items")) {
                problems.add(p + ".items: Required value: must be specified outside of value validations too");
            } else {
                covered(v.get("items"), s.get("items"), p + ".items");
            }
        }
    }

    private void listType(JsonNode s, String p) {
        String listType = s.path("x-kubernetes-list-type").asText(null);
        JsonNode keys = s.path("x-kubernetes-list-map-keys");
        if (listType != null && !s.path("type").asText().equals("array")) {
            problems.add(p + ".type: Invalid value: must be array if x-kubernetes-list-type is specified");
        }
        if (listType != null && !Set.of("atomic", "set", "map").contains(listType)) {
            problems.add(p + ".x-kubernetes-list-type: Unsupported value: \"" + listType + "\"");
        }
        if (keys.size() > 0 && !"map".equals(listType)) {
            problems.add(p + ".x-kubernetes-list-type: Invalid value: must be map if x-kubernetes-list-map-keys is non-empty");
        }
        if ("map".equals(listType)) {
            JsonNode items = s.path("items");
            if (keys.size() == 0) {
                problems.add(p + ".x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map");
            }
            if (!items.path("type").asText().equals("object")) {
                problems.add(p + ".items.type: Invalid value: must be object if parent array's x-kubernetes-list-type is map");
            }
            Set<String> required = new java.util.HashSet<>();
            items.path("required").forEach(r -> required.add(r.asText()));
            for (JsonNode k : keys) {
                JsonNode key = items.path("properties").path(k.asText());
                if (key.isMissingNode()) {
                    problems.add(p + ".x-kubernetes-list-map-keys: Invalid value: entries must all be names of item properties");
                    continue;
                }
                if (Set.of("array", "object").contains(key.path("type").asText())) {
                    problems.add(p + ".items.properties[" + k.asText() + "].type: Invalid value: must be a scalar type");
                }
                if (!required.contains(k.asText()) && !key.has("default")) {
                    problems.add(p + ".items.properties[" + k.asText() + "].default: Required value: this property is in"
                            + " x-kubernetes-list-map-keys, so it must have a default or be a required property");
                }
                if (key.path("nullable").asBoolean(false)) {
                    problems.add(p + ".items.properties[" + k.asText() + "].nullable: Forbidden: cannot be nullable");
                }
            }
        }
        if (("map".equals(listType) || "set".equals(listType)) && s.path("items").path("nullable").asBoolean(false)) {
            problems.add(p + ".items.nullable: Forbidden: cannot be nullable when x-kubernetes-list-type is " + listType);
        }
    }

    private void defaultValue(JsonNode d, JsonNode s, String p) {
        String type = s.path("type").asText("");
        if (!matchesType(d, type, s.path("x-kubernetes-int-or-string").asBoolean(false))) {
            problems.add(p + ": Invalid value: " + d + " is not of type " + type);
            return;
        }
        if (d.isNumber()) {
            if (s.has("minimum") && d.asDouble() < s.get("minimum").asDouble()) {
                problems.add(p + ": Invalid value: " + d + " is below the minimum");
            }
            if (s.has("maximum") && d.asDouble() > s.get("maximum").asDouble()) {
                problems.add(p + ": Invalid value: " + d + " is above the maximum");
            }
        }
        if (d.isTextual() && s.has("pattern") && !java.util.regex.Pattern.compile(s.get("pattern").asText())
                .matcher(d.asText()).find()) {
            problems.add(p + ": Invalid value: " + d + " does not match the pattern");
        }
    }

    private static boolean matchesType(JsonNode v, String type, boolean intOrString) {
        if (intOrString) {
            return v.isIntegralNumber() || v.isTextual();
        }
        return switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            default -> true;
        };
    }

    /** The server compiles patterns with Go's RE2, which has no look-around and no back-references. */
    private void pattern(String regex, String p) {
        if (regex.contains("(?=") || regex.contains("(?!") || regex.contains("(?<=") || regex.contains("(?<!")
                || regex.matches(".*\\\\[1-9].*") || regex.contains("\\p{Alpha}")) {
            problems.add(p + ": Invalid value: must be a valid regular expression (RE2 has no look-around or back-references)");
            return;
        }
        try {
            java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            problems.add(p + ": Invalid value: must be a valid regular expression, but isn't: " + e.getDescription());
        }
    }

    // ------------------------------------------------------------------ x-kubernetes-validations

    /**
     * @param cardinality how often this node can occur in one object, the product of the maxItems/maxProperties of
     *        the lists and maps above it, or -1 when one of them is unbounded (CELSchemaContext.MaxCardinality)
     */
    private void rules(JsonNode s, String p, boolean root, long cardinality) {
        JsonNode rules = s.path("x-kubernetes-validations");
        if (rules.size() > 0) {
            DeclType self;
            try {
                self = DeclType.of(s, root);
            } catch (IllegalArgumentException e) {
                problems.add(p + ".x-kubernetes-validations: Internal error: " + e.getMessage());
                return;
            }
            CelCompiler compiler = compiler(self);
            for (int i = 0; i < rules.size(); i++) {
                rule(rules.get(i), compiler, self, cardinality, p + ".x-kubernetes-validations[" + i + "]");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            rules(e.getValue(), p + ".properties[" + e.getKey() + "]", false, child(s, cardinality));
        }
        if (s.path("items").isObject()) {
            rules(s.get("items"), p + ".items", false, child(s, cardinality));
        }
        if (s.path("additionalProperties").isObject()) {
            rules(s.get("additionalProperties"), p + ".additionalProperties", false, child(s, cardinality));
        }
    }

    /** childContext: the cardinality of a child of {@code s} (extractMaxElements). */
    private static long child(JsonNode s, long cardinality) {
        if (cardinality < 0) {
            return -1;
        }
        long factor;
        String type = s.path("type").asText();
        if (type.equals("object") && s.has("additionalProperties")) {
            factor = s.has("maxProperties") ? Math.max(0, s.get("maxProperties").asLong()) : -1;
        } else if (type.equals("array")) {
            factor = s.has("maxItems") ? Math.max(0, s.get("maxItems").asLong()) : -1;
        } else {
            factor = 1;
        }
        if (factor < 0) {
            return -1;
        }
        return factor != 0 && cardinality > Long.MAX_VALUE / factor ? Long.MAX_VALUE : cardinality * factor;
    }

    private void rule(JsonNode r, CelCompiler compiler, DeclType self, long cardinality, String p) {
        String rule = r.path("rule").asText("").trim();
        String message = r.path("message").asText("");
        if (rule.isEmpty()) {
            problems.add(p + ".rule: Required value: rule is not specified");
            return;
        }
        if (r.has("message") && message.trim().isEmpty()) {
            problems.add(p + ".message: Invalid value: message must be non-empty if specified");
        }
        if (message.contains("\n") || message.contains("\r")) {
            problems.add(p + ".message: Invalid value: message must not contain line breaks");
        }
        if ((rule.contains("\n") || rule.contains("\r")) && message.trim().isEmpty()) {
            problems.add(p + ".message: Required value: message must be specified if rule contains line breaks");
        }
        CelValidationResult result = compiler.compile(rule);
        if (result.hasError()) {
            problems.add(p + ".rule: Invalid value: compilation failed: " + result.getErrorString());
            return;
        }
        try {
            if (!result.getAst().getResultType().equals(SimpleType.BOOL)) {
                problems.add(p + ".rule: Invalid value: cel expression must evaluate to a bool");
                return;
            }
            long cost = CelCost.of(result.getAst(), self).max();
            long times = cardinality >= 0 ? cardinality : self.maxCardinality();
            long total = cost != 0 && times > Long.MAX_VALUE / cost ? Long.MAX_VALUE : cost * times;
            costs.add(new RuleCost(p, rule, cost, times, total));
            if (total > RULE_COST_LIMIT) {
                problems.add(p + ".rule: Forbidden: " + budget("estimated rule cost", total, RULE_COST_LIMIT));
            }
        } catch (dev.cel.common.CelValidationException e) {
            problems.add(p + ".rule: Invalid value: " + e.getMessage());
        }
    }

    static String budget(String what, long cost, long limit) {
        double factor = (double) cost / limit;
        String f = factor > 100 ? "more than 100x" : factor < 1.5 ? String.format("%fx", factor)
                : String.format("%.1fx", factor);
        return what + " exceeds budget by factor of " + f + " (try simplifying the rule, or adding maxItems,"
                + " maxProperties, and maxLength where arrays, maps, and strings are declared)";
    }

    /** A compiler where {@code self} and {@code oldSelf} have the node's type, objects as struct types. */
    private CelCompiler compiler(DeclType self) {
        Map<String, CelType> structs = new HashMap<>();
        CelType selfType = celType(self, structs);
        CelTypeProvider provider = new CelTypeProvider() {
            @Override
            public ImmutableList<CelType> types() {
                return ImmutableList.copyOf(structs.values());
            }

            @Override
            public Optional<CelType> findType(String name) {
                return Optional.ofNullable(structs.get(name));
            }
        };
        return CelCompilerFactory.standardCelCompilerBuilder()
                .setTypeProvider(provider)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("self", selfType)
                .addVar("oldSelf", selfType)
                .build();
    }

    private CelType celType(DeclType t, Map<String, CelType> structs) {
        return switch (t.kind()) {
            case STRING -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case BOOL -> SimpleType.BOOL;
            case DYN -> SimpleType.DYN;
            case LIST -> ListType.create(celType(t.elem(), structs));
            case MAP -> MapType.create(SimpleType.STRING, celType(t.elem(), structs));
            case OBJECT -> {
                String name = "selfType" + (++this.structs);
                Map<String, CelType> fields = new HashMap<>();
                t.fields().forEach((k, f) -> fields.put(k, celType(f.type(), structs)));
                StructType st = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                        f -> Optional.ofNullable(fields.get(f)));
                structs.put(name, st);
                yield st;
            }
        };
    }

    private void subresources(JsonNode sub, JsonNode schema, String p) {
        JsonNode scale = sub.path("scale");
        if (scale.isMissingNode()) {
            return;
        }
        path(scale.path("specReplicasPath").asText(), ".spec.", schema, "integer", p + ".scale.specReplicasPath", true);
        path(scale.path("statusReplicasPath").asText(), ".status.", schema, "integer", p + ".scale.statusReplicasPath", true);
        if (scale.has("labelSelectorPath")) {
            String l = scale.get("labelSelectorPath").asText();
            path(l, l.startsWith(".spec.") ? ".spec." : ".status.", schema, "string", p + ".scale.labelSelectorPath", false);
        }
    }

    private void path(String jsonPath, String prefix, JsonNode schema, String type, String p, boolean mustExist) {
        if (!jsonPath.startsWith(prefix)) {
            problems.add(p + ": Invalid value: \"" + jsonPath + "\": should be a json path under " + prefix.substring(0, prefix.length() - 1));
            return;
        }
        JsonNode node = schema;
        for (String part : jsonPath.substring(1).split("\\.")) {
            node = node.path("properties").path(part);
        }
        if (node.isMissingNode()) {
            if (mustExist) {
                problems.add(p + ": Invalid value: \"" + jsonPath + "\": should be a json path under the schema");
            }
        } else if (!node.path("type").asText().equals(type)) {
            problems.add(p + ": Invalid value: \"" + jsonPath + "\": must point to a field of type " + type);
        }
    }

    private void columns(JsonNode cols, String p) {
        Set<String> types = Set.of("integer", "number", "string", "boolean", "date");
        for (int i = 0; i < cols.size(); i++) {
            JsonNode c = cols.get(i);
            if (c.path("name").asText("").isEmpty()) {
                problems.add(p + "[" + i + "].name: Required value");
            }
            if (!types.contains(c.path("type").asText())) {
                problems.add(p + "[" + i + "].type: Unsupported value: \"" + c.path("type").asText() + "\"");
            }
            if (!c.path("jsonPath").asText("").startsWith(".")) {
                problems.add(p + "[" + i + "].jsonPath: Invalid value: must be a simple json path starting with .");
            }
        }
    }
}
