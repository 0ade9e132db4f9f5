package dev.stretch.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.stretch.model.FieldError;
import dev.stretch.model.StreamJobReader;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.operator.customresource.StreamJobCrdPostProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed CRD as a real API server would see it on {@code kubectl apply}: a structural schema, every rule
 * compiling, and every rule's estimated cost (× how often it can run in one object) within the per-rule budget and
 * all of them within the per-CRD budget. The estimator itself is checked against the expectations of Kubernetes' own
 * cost tests (apiextensions-apiserver {@code schema/cel/compilation_test.go}, TestCostEstimation).
 */
class CrdAdmissionTest {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final Path CRD = Path.of("../crds/streamjobs.stretch.dev-v1.yml");

    static JsonNode committed() throws Exception {
        return YAML.readTree(Files.readString(CRD));
    }

    @Test
    void theCommittedCrdIsAdmitted() throws Exception {
        CrdAdmission admission = CrdAdmission.check(committed());
        assertThat(admission.problems()).as("what an API server would refuse").isEmpty();
        assertThat(admission.ruleCosts()).as("every rule was estimated").hasSizeGreaterThanOrEqualTo(10);
        assertThat(admission.totalCost()).isLessThanOrEqualTo(CrdAdmission.CRD_COST_LIMIT);
        System.out.println("CRD rule costs (cost x cardinality), total " + admission.totalCost() + ":\n"
                + admission.ruleCosts().stream().map(c -> "  " + c.total() + " = " + c.cost() + " x " + c.cardinality()
                        + "  " + c.path()).collect(Collectors.joining("\n")));
    }

    @Test
    void theCrdBeforeBoundsIsRefusedForItsPipelineRules() throws Exception {
        JsonNode before = YAML.readTree(getClass().getResource("/crd/streamjobs-before-bounds.yml"));
        CrdAdmission admission = CrdAdmission.check(before);
        assertThat(admission.problems())
                .filteredOn(p -> p.contains("estimated rule cost exceeds budget"))
                .anySatisfy(p -> assertThat(p).contains("properties[pipeline].items.x-kubernetes-validations[0]"))
                .anySatisfy(p -> assertThat(p).contains("properties[pipeline].items.properties[sink].x-kubernetes-validations[0]"))
                .anySatisfy(p -> assertThat(p).contains("properties[pipeline].items.properties[source].x-kubernetes-validations[0]"));
        assertThat(admission.problems()).anySatisfy(p -> assertThat(p).contains("total estimated rule cost exceeds budget"));
    }

    /** Cases and expected MaxCost (before cardinality) from Kubernetes' TestCostEstimation. */
    @ParameterizedTest(name = "{0} over {1} (maxItems/maxLength {2}) costs {3}")
    @CsvSource(delimiter = '|', value = {
            "self.all(x, true)           | number-array  |    | 4718591",
            "self.all(x, true)           | number-array  | 10 | 32",
            "self.all(x, true)           | string-array  |    | 3145727",
            "self.all(x, true)           | string-array  | 20 | 62",
            "self.all(x, true)           | boolean-array |    | 1887437",
            "self.all(x, true)           | boolean-array | 5  | 17",
            "self.all(x, true)           | string-map    |    | 1179647",
            "self.all(x, true)           | string-map    | 3  | 11",
            "self.contains('test')       | string        |    | 314574",
            "self.contains('test')       | string        | 10 | 5",
            "self.startsWith('test')     | string        |    | 2",
            "self.matches('x')           | string        |    | 314574",
            "self.matches('x')           | string        | 50 | 22",
            "self[1] == 0.0              | number-array  |    | 2",
            "self.all(x, self.all(y, true)) | number-array | 10 | 352",
            "self.all(x, x == 0.0)       | number-array  |    | 6291454",
    })
    void estimatesAsKubernetesDoes(String rule, String schema, Long max, long expected) {
        ObjectNode s = schema(schema, max);
        DeclType self = DeclType.of(s, false);
        assertThat(estimate(rule, self)).isEqualTo(expected);
    }

    static long estimate(String rule, DeclType self) {
        var compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar("self", celType(self)).build();
        CelValidationResult r = compiler.compile(rule);
        assertThat(r.hasError()).as(r.hasError() ? r.getErrorString() : rule).isFalse();
        try {
            return CelCost.of(r.getAst(), self).max();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static dev.cel.common.types.CelType celType(DeclType t) {
        return switch (t.kind()) {
            case STRING -> SimpleType.STRING;
            case INT -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case BOOL -> SimpleType.BOOL;
            case LIST -> ListType.create(celType(t.elem()));
            case MAP -> MapType.create(SimpleType.STRING, celType(t.elem()));
            default -> SimpleType.DYN;
        };
    }

    private static ObjectNode schema(String kind, Long max) {
        ObjectNode s = YAML.createObjectNode();
        switch (kind) {
            case "string" -> {
                s.put("type", "string");
                if (max != null) {
                    s.put("maxLength", max);
                }
            }
            case "string-map" -> {
                s.put("type", "object");
                s.putObject("additionalProperties").put("type", "string").put("maxLength", max == null ? 0 : max);
                if (max == null) {
                    ((ObjectNode) s.get("additionalProperties")).remove("maxLength");
                } else {
                    s.put("maxProperties", max);
                }
            }
            default -> {
                s.put("type", "array");
                String item = kind.substring(0, kind.indexOf('-'));
                ObjectNode items = s.putObject("items").put("type", item);
                if (max != null) {
                    s.put("maxItems", max);
                    if (item.equals("string")) {
                        items.put("maxLength", max);
                    }
                }
            }
        }
        return s;
    }

    @Test
    void structuralViolationsAreReported() throws Exception {
        ObjectNode crd = (ObjectNode) committed().deepCopy();
        ObjectNode spec = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        ((ObjectNode) spec.at("/properties/suspend")).remove("type");
        ((ObjectNode) spec.at("/properties/engine")).putObject("additionalProperties").put("type", "string");
        ((ObjectNode) spec.at("/properties/image")).putArray("anyOf").addObject().put("type", "string");
        ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/status/properties/conditions/items"))
                .putArray("required").add("status");
        List<String> problems = CrdAdmission.check(crd).problems();
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("properties[suspend].type: Required value"))
                .anySatisfy(p -> assertThat(p).contains("properties[engine].additionalProperties: Forbidden"))
                .anySatisfy(p -> assertThat(p).contains("properties[image].anyOf[0].type: Forbidden"))
                .anySatisfy(p -> assertThat(p).contains("properties[type].default: Required value"));
    }

    @Test
    void aRuleThatDoesNotCompileAgainstTheSchemaIsReported() throws Exception {
        ObjectNode crd = (ObjectNode) committed().deepCopy();
        ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/parallelism"
                + "/properties/threads/x-kubernetes-validations/0")).put("rule", "self.minimum <= self.max");
        assertThat(CrdAdmission.check(crd).problems())
                .anySatisfy(p -> assertThat(p).contains("properties[threads].x-kubernetes-validations[0].rule")
                        .contains("compilation failed"));
    }

    @Test
    void anUnboundedListUnderARuleIsRefused() throws Exception {
        ObjectNode crd = (ObjectNode) committed().deepCopy();
        ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/pipeline"))
                .remove("maxItems");
        assertThat(CrdAdmission.check(crd).problems())
                .anySatisfy(p -> assertThat(p).contains("properties[pipeline].items.x-kubernetes-validations[0].rule")
                        .contains("estimated rule cost exceeds budget"));
    }

    /** The job-name rule of the CRD and the validator agree on which names can name the job's objects. */
    @ParameterizedTest
    @CsvSource({"word-count, true", "a, true", "1st-job, false", "job.v2, false", "Job, false", "job-, false",
            "a234567890123456789012345678901234567890123456789012, true",
            "a2345678901234567890123456789012345678901234567890123, false"})
    void theNameRuleAndTheValidatorAgree(String name, boolean valid) throws Exception {
        var compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .addVar("self", MapType.create(SimpleType.STRING, SimpleType.DYN)).build();
        var ast = compiler.compile(ruleAt(committed(), "/spec/versions/0/schema/openAPIV3Schema")).getAst();
        var program = dev.cel.runtime.CelRuntimeFactory.standardCelRuntimeBuilder().build().createProgram(ast);
        Object verdict = program.eval(Map.of("self", Map.of("metadata", Map.of("name", name))));
        assertThat(verdict).as("CRD rule on " + name).isEqualTo(valid);
        List<FieldError> errors = StreamJobValidator.validateSpec(
                StreamJobReader.read(Files.readString(Path.of("../k8s-examples/word-count.yaml"))).manifest().getSpec(),
                name);
        assertThat(errors.stream().noneMatch(e -> e.path().equals("metadata.name"))).as("validator on " + name)
                .isEqualTo(valid);
        assertThat(name.length() <= StreamJobCrdPostProcessor.MAX_NAME || !valid).isTrue();
    }

    private static String ruleAt(JsonNode crd, String pointer) {
        return crd.at(pointer).path("x-kubernetes-validations").get(0).path("rule").asText();
    }
}
