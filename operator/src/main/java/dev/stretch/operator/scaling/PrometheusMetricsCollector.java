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
 * <p>Latency (issue 12: a load step should show within one scrape interval + 1 s): the queries of one collection
 * run in parallel, and {@link #newData} asks only for the newest scrape's timestamp
 * ({@code max(timestamp(stretch_operator_instances))}), so the loop polls that cheaply and collects as soon as a
 * scrape lands. The collection carries that scrape's time ({@link CollectedMetrics#sampledAt()}), so the metric
 * window holds scrape intervals, each once, rather than the same {@code irate} repeated at every query.
 *
 * <p>Prometheus unreachable, an error answer, or no series for the job: unavailable, the autoscaler holds.
 */
public final class PrometheusMetricsCollector implements MetricsCollector {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final Duration timeout;
    private final Map<String, String> queries = new LinkedHashMap<>();
    /** The newest scrape's time (epoch seconds) the last collection used; NaN before the first. */
    private double lastCollected = Double.NaN;

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
        // the newest scrape of the job's pods: polled by newData, and the time a collection's sample stands for
        queries.put("newest", "max(timestamp(stretch_operator_instances$selector))");
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
    public boolean pollsForNewData() {
        return true;
    }

    /**
     * True only when Prometheus has a scrape newer than the last collection's. No series, an error answer or no
     * answer: false; the loop's own interval still collects, which reports why (so a Prometheus outage is
     * reported within an interval, not polled for at every check).
     */
    @Override
    public boolean newData(String namespace, String job) {
        try {
            double newest = newest(send(query("newest", namespace, job)).join());
            return Double.isFinite(newest) && (Double.isNaN(lastCollected) || newest > lastCollected);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static double newest(JsonNode result) {
        return result.size() == 0 ? Double.NaN
                : Double.parseDouble(result.get(0).path("value").path(1).asText("NaN"));
    }

    /** One instant query; completes with its {@code data.result}, or exceptionally with what went wrong. */
    private java.util.concurrent.CompletableFuture<JsonNode> send(String q) {
        return http.sendAsync(HttpRequest.newBuilder(base.resolve("api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                    JsonNode body;
                    try {
                        body = JSON.readTree(r.body());
                    } catch (IOException e) {
                        throw new java.util.concurrent.CompletionException(new Answer("Prometheus answered "
                                + r.statusCode() + " to " + q + ": " + r.body()));
                    }
                    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                        throw new java.util.concurrent.CompletionException(new Answer("Prometheus answered "
                                + r.statusCode() + " to " + q + ": " + body.path("error").asText(r.body())));
                    }
                    return body.path("data").path("result");
                });
    }

    /** An answer Prometheus gave that is not a result. */
    private static final class Answer extends Exception {
        Answer(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public CollectedMetrics collect(String namespace, String job, List<PodObservation> pods) {
        Map<String, Map<String, Double>> values = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        // all queries at once: the collection takes one round trip, not one per metric
        Map<String, java.util.concurrent.CompletableFuture<JsonNode>> pending = new LinkedHashMap<>();
        for (String metric : queries.keySet()) {
            pending.put(metric, send(query(metric, namespace, job)));
        }
        double newest = Double.NaN;
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<JsonNode>> p : pending.entrySet()) {
            String metric = p.getKey();
            JsonNode result;
            try {
                result = p.getValue().get();
            } catch (java.util.concurrent.ExecutionException e) {
                pending.values().forEach(f -> f.cancel(true));
                Throwable c = e.getCause();
                return CollectedMetrics.unavailable(c instanceof Answer ? c.getMessage() : "Prometheus at " + base
                        + " unreachable: " + (c == null || c.getMessage() == null
                                ? (c == null ? "?" : c.getClass().getSimpleName()) : c.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.values().forEach(f -> f.cancel(true));
                return CollectedMetrics.unavailable("interrupted");
            }
            if (metric.equals("newest")) {
                newest = newest(result);
                continue;
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
        lastCollected = newest;
        return new CollectedMetrics(out, pressure, null, Double.isFinite(newest)
                ? java.time.Instant.ofEpochMilli(Math.round(newest * 1000)) : null);
    }
}
