package dev.stretch.runtime.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.api.JobExecution;
import dev.stretch.api.JobExecution.ElasticOperator;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.model.Durations;
import dev.stretch.runtime.ScalingHolds;
import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code PUT /v1/parallelism}: either {@code {"operator": "counts", "instances": 4}} or
 * {@code {"instances": {"counts": 4, "events": 2}}}. {@link #parse} checks the shape,
 * {@link #checkAgainst} checks every operator and count against the running job, so that a request is
 * rejected as a whole, with the reason naming the field or operator, before anything is rescaled.
 *
 * <p>Either form may add {@code "hold": "30m"}: how long the in-process autoscaler, where one runs, leaves
 * the operators at the requested counts (default {@link ScalingHolds#DEFAULT_HOLD}; {@code "0s"} lets it
 * decide again at once).
 *
 * @param instances operator → requested instance count, in request order
 * @param single whether the request used the one-operator form
 * @param hold how long the in-process autoscaler leaves the operators alone, or null for the default
 */
record ParallelismRequest(Map<String, Long> instances, boolean single, Duration hold) {
    private static final String SHAPES =
            "expected {\"operator\": NAME, \"instances\": N} or {\"instances\": {NAME: N, ...}}, "
                    + "optionally with \"hold\": DURATION";

    static ParallelismRequest parse(byte[] body, ObjectMapper json) throws RejectedRequest {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("malformed JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw bad("empty body; " + SHAPES);
        }
        if (!root.isObject()) {
            throw bad("the body must be a JSON object; " + SHAPES);
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("operator") && !name.equals("instances") && !name.equals("hold")) {
                throw bad("unknown field '" + name + "'; " + SHAPES);
            }
        }
        JsonNode instances = root.get("instances");
        JsonNode operator = root.get("operator");
        Duration hold = hold(root.get("hold"));
        if (instances == null) {
            throw bad("missing field 'instances'; " + SHAPES);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        if (instances.isObject()) {
            if (operator != null) {
                throw bad("field 'operator' must not be given when 'instances' is an object; " + SHAPES);
            }
            if (instances.isEmpty()) {
                throw bad("field 'instances' names no operator; " + SHAPES);
            }
            for (Map.Entry<String, JsonNode> e : instances.properties()) {
                out.put(e.getKey(), count(e.getKey(), e.getValue()));
            }
            return new ParallelismRequest(Collections.unmodifiableMap(out), false, hold);
        }
        if (operator == null) {
            throw bad("missing field 'operator'; " + SHAPES);
        }
        if (!operator.isTextual() || operator.asText().isBlank()) {
            throw bad("field 'operator' must be a non-empty string, was " + shortText(operator));
        }
        out.put(operator.asText(), count(operator.asText(), instances));
        return new ParallelismRequest(Collections.unmodifiableMap(out), true, hold);
    }

    private static Duration hold(JsonNode n) throws RejectedRequest {
        if (n == null) {
            return null;
        }
        if (!n.isTextual() || !Durations.isValid(n.asText())) {
            throw bad("field 'hold' must be a duration such as \"30m\" or \"0s\", was " + shortText(n));
        }
        Duration d = Durations.parse(n.asText());
        if (d.compareTo(ScalingHolds.MAX_HOLD) > 0) {
            throw bad("field 'hold' must be at most 24h, was " + n.asText());
        }
        return d;
    }

    /**
     * Checks every requested operator against the job: it must exist, be elastic, and the count must lie
     * in its bounds.
     *
     * @param bounds operator → [min, max] as configured for this process; an elastic operator missing
     *     here gets the engine's bounds
     * @return the request as the engine takes it
     */
    Map<String, Integer> checkAgainst(JobExecution execution, Map<String, int[]> bounds) throws RejectedRequest {
        Map<String, ElasticOperator> elastic = new LinkedHashMap<>();
        for (ElasticOperator e : execution.elasticOperators()) {
            elastic.put(e.name(), e);
        }
        Map<String, String> kinds = new LinkedHashMap<>();
        for (OperatorMetrics o : execution.metrics().operators()) {
            kinds.put(o.name(), o.kind());
        }
        List<String> elasticNames = List.copyOf(elastic.keySet());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Long> r : instances.entrySet()) {
            String op = r.getKey();
            ElasticOperator e = elastic.get(op);
            if (e == null) {
                if (kinds.containsKey(op)) {
                    throw bad("operator '" + op + "' (" + kinds.get(op) + ") cannot be rescaled; elastic operators: "
                            + elasticNames);
                }
                throw bad("unknown operator '" + op + "'; elastic operators: " + elasticNames);
            }
            int[] b = bounds.getOrDefault(op, new int[] {e.min(), e.max()});
            long n = r.getValue();
            if (n < b[0] || n > b[1]) {
                throw bad("instances of '" + op + "' must be in [" + b[0] + ", " + b[1] + "], was " + n);
            }
            out.put(op, (int) n);
        }
        return out;
    }

    private static long count(String operator, JsonNode n) throws RejectedRequest {
        if (!n.isIntegralNumber()) {
            throw bad("instances of '" + operator + "' must be an integer, was " + shortText(n));
        }
        if (!n.canConvertToLong()) {
            throw bad("instances of '" + operator + "' is out of range, was " + shortText(n));
        }
        return n.longValue();
    }

    private static String shortText(JsonNode n) {
        String s = n.toString();
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static RejectedRequest bad(String reason) {
        return new RejectedRequest(400, reason);
    }
}
