package dev.stretch.runtime.pipeline;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelUnknownSet;
import dev.stretch.api.BadRecordException;
import dev.stretch.model.Expression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates a stage's CEL expression on a record, and says in the job's words why it could not: a field the
 * expression reads is missing from this record, or has a value the expression cannot use. Such a record is a
 * bad record ({@link BadRecordException}), handled by the job's error policy; it is never silently filtered
 * out or given an undefined field.
 */
final class Expressions {
    private static final Pattern PREFIX = Pattern.compile("^evaluation error( at [^:]*:\\d+)?:\\s*");
    private static final Pattern OVERLOAD = Pattern.compile("No matching overload for function '([^']*)'.*", Pattern.DOTALL);

    private Expressions() {
    }

    static Object evaluate(Expression e, Map<String, Object> record) {
        Object v;
        try {
            v = e.evaluate(record);
        } catch (CelEvaluationException ex) {
            throw new BadRecordException("expression '" + e.source() + "' cannot be evaluated on this record: "
                    + explain(ex.getMessage()) + values(e, record));
        }
        if (v instanceof CelUnknownSet) {
            List<String> missing = new ArrayList<>();
            for (String f : e.fields()) {
                if (record.get(f) == null) {
                    missing.add("'" + f + "'");
                }
            }
            throw new BadRecordException("expression '" + e.source() + "' reads field" + (missing.size() == 1 ? " " : "s ")
                    + String.join(", ", missing) + ", which this record does not have (or has as null)");
        }
        return v;
    }

    private static String explain(String message) {
        String m = PREFIX.matcher(message == null ? "" : message).replaceFirst("");
        Matcher o = OVERLOAD.matcher(m);
        if (o.matches()) {
            String f = o.group(1);
            String name = f.startsWith("_") && f.endsWith("_") ? "the operator " + f.replace("_", "") : "function " + f;
            return name + " does not apply to values of these types";
        }
        if (m.startsWith("For input string: ")) {
            return m.substring("For input string: ".length()) + " is not a number";
        }
        return m;
    }

    private static String values(Expression e, Map<String, Object> record) {
        List<String> parts = new ArrayList<>();
        for (String f : e.fields()) {
            Object v = record.get(f);
            parts.add(f + " = " + (v instanceof String s ? "'" + s + "'" : String.valueOf(v)));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
