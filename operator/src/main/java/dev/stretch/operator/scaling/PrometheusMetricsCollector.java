package dev.stretch.operator.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.model.MetricQueriesSpec;
import dev.stretch.operator.status.PodObservation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code prometheus} metric source: PromQL instant queries over Prometheus' HTTP API
 * ({@code GET /api/v1/query}), one per metric, each answering one series per pod and operator (labels {@code pod}
 * and {@code operator}). The default queries use the runtime's metric names (CONTRACTS C4) and select the job's
 * series by the runtime's own {@code job} label, which Prometheus keeps as {@code exported_job} unless the scrape
 * honours the target's labels; both are matched. Rates use {@code irate} over the rate window, so a load step shows
 * after one scrape interval. Each query may be overridden in the StreamJob ({@code $job}, {@code $namespace},
 * {@code $window} are substituted).
 *
 * <p>Prometheus unreachable, an error answer, or no series for the job: unavailable, the autoscaler holds.
 */
public final class PrometheusMetricsCollector implements MetricsCollector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final Map<String, String> queries = new LinkedHashMap<>();

    public PrometheusMetricsCollector(String url, MetricQueriesSpec overrides, Duration rateWindow, Duration timeout) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        String w = rateWindow.toMillis() + "ms";
        MetricQueriesSpec o = overrides == null ? new MetricQueriesSpec() : overrides;
        queries.put("threads", or(o.getThreads(), "sum by (pod, operator) (stretch_operator_instances$selector)"));
        queries.put("processed", or(o.getProcessedRate(),
                "sum by (pod, operator) (irate(stretch_operator_tuples_in_total$selector[$window]))"));
        // busy from the counter (as the direct collector does), not the runtime's stretch_operator_busy_ratio gauge:
        // that one is the pod's own 1 s sample, a scrape later still; irate covers the last scrape interval
        queries.put("busy", or(o.getBusyRatio(), "sum by (pod, operator) (irate(stretch_operator_busy_seconds_total"
                + "$selector[$window])) / sum by (pod, operator) (stretch_operator_instances$selector)"));
        queries.put("backlog", or(o.getBacklog(),
                "sum by (pod, operator) (stretch_operator_backlog_tuples$selector)"));
        queries.put("backlogGrowth", "sum by (pod, operator) (deriv(stretch_operator_backlog_tuples$selector[$window]))");
        queries.put("lag", or(o.getEventTimeLag(),
                "max by (pod, operator) (stretch_operator_event_time_lag_seconds$selector)"));
        queries.put("kind", "max by (pod, operator, kind) (stretch_operator_info$selector)");
        // fraction of an operator's instances' time spent waiting for room downstream (sources too)
        queries.put("backpressure", "sum by (pod, operator) (irate(stretch_operator_instance_backpressured_seconds_total"
                + "$selector[$window])) / count by (pod, operator) (stretch_operator_instance_backpressured_seconds_total"
                + "$selector)");
        queries.replaceAll((k, q) -> q.replace("$window", w));
    }

    private static String or(String override, String fallback) {
        return override == null || override.isBlank() ? fallback : override;
    }

    @Override
    public String source() {
        return "prometheus";
    }

    /**
     * The query for one metric of one job. The runtime labels its series {@code job=<job>}; Prometheus keeps that
     * as {@code exported_job} (its own {@code job} is the scrape job), and a PodMonitor adds {@code namespace}
     * (a plain scrape config may not: an absent label matches too).
     */
    String query(String metric, String namespace, String job) {
        String selector = "{exported_job=\"" + job + "\",namespace=~\"" + namespace + "|\"}";
        return queries.get(metric).replace("$job", job).replace("$namespace", namespace).replace("$selector", selector);
    }

    @Override
    public CollectedMetrics collect(String namespace, String job, List<PodObservation> pods) {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (String metric : queries.keySet()) {
            String q = query(metric, namespace, job);
            JsonNode result;
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("api/v1/query?query="
                        + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(r.body());
                if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                    return CollectedMetrics.unavailable("Prometheus answered " + r.statusCode() + " to " + q + ": "
                            + body.path("error").asText(r.body()));
                }
                result = body.path("data").path("result");
            } catch (IOException e) {
                return CollectedMetrics.unavailable("Prometheus at " + base + " unreachable: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CollectedMetrics.unavailable("interrupted");
            }
            for (JsonNode series : result) {
                JsonNode labels = series.path("metric");
                String key = labels.path("pod").asText() + "\u0000" + labels.path("operator").asText();
                double v = Double.parseDouble(series.path("value").path(1).asText("NaN"));
                values.computeIfAbsent(metric, k -> new LinkedHashMap<>()).put(key, v);
                if (metric.equals("kind")) {
                    kinds.put(key, labels.path("kind").asText());
                }
            }
        }
        Map<String, Double> threads = values.getOrDefault("threads", Map.of());
        if (threads.isEmpty()) {
            return CollectedMetrics.unavailable("Prometheus has no stretch_operator_instances series of job " + job
                    + " (is it scraping the pods?)");
        }
        List<PodMetrics> out = new ArrayList<>();
        Map<String, Map<String, CollectedMetrics.Pressure>> pressure = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : values.getOrDefault("backpressure", Map.of()).entrySet()) {
            String[] podOp = e.getKey().split("\u0000", 2);
            if (Double.isFinite(e.getValue()) && kinds.containsKey(e.getKey())) {
                pressure.computeIfAbsent(podOp[0], k -> new LinkedHashMap<>()).put(podOp[1],
                        new CollectedMetrics.Pressure(kinds.get(e.getKey()), Math.max(0, Math.min(1, e.getValue()))));
            }
        }
        for (Map.Entry<String, Double> e : threads.entrySet()) {
            String key = e.getKey();
            if (!"window".equals(kinds.get(key))) {
                continue;
            }
            String[] podOp = key.split("\u0000", 2);
            double processed = values.getOrDefault("processed", Map.of()).getOrDefault(key, Double.NaN);
            double growth = values.getOrDefault("backlogGrowth", Map.of()).getOrDefault(key, 0.0);
            out.add(new PodMetrics(podOp[0], podOp[1], e.getValue().intValue(), processed,
                    Math.max(0, processed + (Double.isFinite(growth) ? growth : 0)),
                    values.getOrDefault("busy", Map.of()).getOrDefault(key, Double.NaN),
                    values.getOrDefault("backlog", Map.of()).getOrDefault(key, Double.NaN),
                    values.getOrDefault("lag", Map.of()).getOrDefault(key, Double.NaN) * 1000));
        }
        return new CollectedMetrics(out, pressure, null);
    }
}
