package dev.stretch.operator.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PromQL the chart ships — Grafana dashboard panels, annotations and variables, and the PrometheusRule's alerts —
 * and the metric names it references, so a test can compare them with what a live {@code stretch pod} and the
 * operator actually export.
 */
public final class MonitoringReferences {
    static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "offset", "and", "or", "unless", "atan2", "inf", "nan", "sum", "min", "max", "avg", "group", "stddev",
            "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");
    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringReferences() {
    }

    /** Every PromQL expression of the chart's dashboards, by where it is ("file: panel title"). */
    public static Map<String, String> dashboardExpressions(Path dashboards) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dashboards)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode d = JSON.readTree(f.toFile());
                String name = f.getFileName().toString();
                for (JsonNode panel : d.path("panels")) {
                    int i = 0;
                    for (JsonNode t : panel.path("targets")) {
                        out.put(name + ": panel '" + panel.path("title").asText() + "' " + (i++), t.path("expr").asText());
                    }
                }
                for (JsonNode a : d.path("annotations").path("list")) {
                    if (a.has("expr")) {
                        out.put(name + ": annotation '" + a.path("name").asText() + "'", a.path("expr").asText());
                    }
                }
                for (JsonNode v : d.path("templating").path("list")) {
                    String q = v.path("query").isObject() ? v.path("query").path("query").asText() : "";
                    Matcher m = LABEL_VALUES.matcher(q);
                    if (m.find()) {
                        out.put(name + ": variable '" + v.path("name").asText() + "'", m.group(1));
                    }
                }
            }
        }
        return out;
    }

    /** The alert expressions of a rendered PrometheusRule, by alert name. */
    public static Map<String, String> alertExpressions(JsonNode prometheusRule) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode g : prometheusRule.path("spec").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                out.put("alert " + r.path("alert").asText(r.path("record").asText()), r.path("expr").asText());
            }
        }
        return out;
    }

    /** A dashboard expression with Grafana's variables replaced, so Prometheus' own tools can parse it. */
    public static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replaceAll("\\$\\{?[a-zA-Z_]+}?", "x");
    }

    /** The metric names an expression selects (not functions, keywords, labels, strings or durations). */
    public static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("'(\\\\.|[^'\\\\])*'", "''")
                .replaceAll("`[^`]*`", "``")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^\\]]*]", " ");
        // label lists after grouping modifiers: by (a, b), on (c), group_left (d)
        s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENT.matcher(s);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            boolean number = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!call && !number && !KEYWORDS.contains(id) && !id.matches("[0-9].*")) {
                names.add(id);
            }
        }
        return names;
    }

    /** The metric names of a Prometheus text exposition (samples, not comments). */
    public static Set<String> exported(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENT.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }

    /** "where: name" for each referenced name that is not exported. */
    public static List<String> unexported(Map<String, String> expressions, Set<String> exported) {
        List<String> out = new ArrayList<>();
        expressions.forEach((where, expr) -> metricNames(expr).stream().filter(n -> !exported.contains(n))
                .forEach(n -> out.add(where + ": " + n)));
        return out;
    }
}
