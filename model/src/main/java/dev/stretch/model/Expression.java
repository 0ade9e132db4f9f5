package dev.stretch.model;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled CEL expression over a record's fields (the language Kubernetes uses in validation rules):
 * {@code value * 2 + 1}, {@code region == "eu" && amount > 10.0}. Fields are top-level identifiers. With a
 * closed {@link RecordSchema} the expression is type-checked against the fields, so a misspelt field is
 * an error before the job runs; with an open schema every identifier is a field of dynamic type.
 * Thread-safe once compiled.
 */
public final class Expression {
    /**
     * {@code total > 5000} must hold whether a sum came out as an int or a double (over a file's fields the
     * type is only known at run time), so ints and doubles compare with each other, as in Kubernetes.
     */
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");

    private final String source;
    private final CelRuntime.Program program;
    private final Set<String> fields;

    private Expression(String source, CelRuntime.Program program, Set<String> fields) {
        this.source = source;
        this.program = program;
        this.fields = fields;
    }

    /** Outcome of compiling: the expression, or an error message without the CEL boilerplate. */
    public record Compiled(Expression expression, String error) {
        public boolean ok() {
            return expression != null;
        }
    }

    /**
     * Compiles {@code source} against {@code schema}.
     *
     * @param resultType the type the expression must have, or {@code null} for any
     */
    public static Compiled compile(String source, RecordSchema schema, RecordSchema.FieldType resultType) {
        if (source == null || source.isBlank()) {
            return new Compiled(null, "expression is empty");
        }
        Map<String, CelType> vars = new LinkedHashMap<>();
        schema.fields().forEach((k, v) -> vars.put(k, celType(v)));
        for (int attempt = 0; attempt < 64; attempt++) {
            CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
            vars.forEach(b::addVar);
            if (resultType != null && resultType != RecordSchema.FieldType.DYN) {
                b.setResultType(celType(resultType));
            }
            CelCompiler compiler = b.build();
            CelValidationResult r = compiler.compile(source);
            if (!r.hasError()) {
                try {
                    CelAbstractSyntaxTree ast = r.getAst();
                    Set<String> used = new TreeSet<>();
                    ast.getReferenceMap().values().forEach(ref -> {
                        if (vars.containsKey(ref.name())) {
                            used.add(ref.name());
                        }
                    });
                    return new Compiled(new Expression(source, RUNTIME.createProgram(ast), Set.copyOf(used)), null);
                } catch (Exception e) {
                    return new Compiled(null, e.getMessage());
                }
            }
            String err = r.getErrorString();
            Matcher m = UNDECLARED.matcher(err);
            if (schema.isOpen() && m.find() && !vars.containsKey(m.group(1))) {
                vars.put(m.group(1), SimpleType.DYN); // open schema: any field may exist
                continue;
            }
            if (m.find(0) && !schema.isOpen()) {
                return new Compiled(null, "unknown field '" + m.group(1) + "'; the records here have " + schema.fields().keySet());
            }
            return new Compiled(null, tidy(err));
        }
        return new Compiled(null, "expression refers to too many fields");
    }

    /** Evaluates against a record (field name → Long, Double, String, Boolean, Map or null). */
    public Object evaluate(Map<String, Object> record) throws CelEvaluationException {
        return program.eval(name -> Optional.ofNullable(record.get(name)));
    }

    public String source() {
        return source;
    }

    /** The record fields the expression reads. */
    public Set<String> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return source;
    }

    private static CelType celType(RecordSchema.FieldType t) {
        return switch (t) {
            case INT -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case STRING -> SimpleType.STRING;
            case BOOL -> SimpleType.BOOL;
            case MAP -> MapType.create(SimpleType.STRING, SimpleType.DYN);
            case DYN -> SimpleType.DYN;
        };
    }

    private static String tidy(String celError) {
        return celError.replaceAll("ERROR: <input>:", "at ").replaceAll(" \\(in container ''\\)", "").replace('\n', ' ')
                .replaceAll(" +", " ").trim();
    }
}
