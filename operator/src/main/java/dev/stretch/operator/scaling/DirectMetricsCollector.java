package dev.stretch.operator.scaling;

import dev.stretch.operator.status.PodObservation;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code direct} metric source: scrapes every ready pod's {@code /metrics} in parallel, asking for Prometheus'
 * protobuf exposition format (what Prometheus itself prefers) and reading it with the Prometheus client library's
 * generated {@code MetricFamily} parser, so no text is parsed by hand. Rates come from the difference of the
 * runtime's counters between two scrapes of the same process ({@code stretch_operator_tuples_in_total},
 * {@code stretch_operator_busy_seconds_total}, and per instance
 * {@code stretch_operator_instance_backpressured_seconds_total}, summed per operator); backlog and lag are gauges. A pod seen for the first time (or
 * restarted: a counter went down) has no rate until its second scrape.
 *
 * <p>Any ready pod that does not answer, or answers without the runtime's operator series, makes the whole
 * collection unavailable: deciding on part of a job could shrink it while the missing pods are overloaded.
 */
public final class DirectMetricsCollector implements MetricsCollector {
    static final String ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited";

    static final String BACKPRESSURED = "stretch_operator_instance_backpressured_seconds";

    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Scrape> previous = new HashMap<>();

    /** The counters of one operator in one scrape. */
    record Counters(String kind, int threads, double tuplesIn, double busySeconds, double backlog, double lagSeconds,
            double busyRatio, double backpressuredSeconds, int backpressuredInstances) {
    }

    /** One scrape of one pod: when, and its operators. */
    record Scrape(long nanos, Map<String, Counters> operators) {
    }

    public DirectMetricsCollector(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public String source() {
        return "direct";
    }

    @Override
    public CollectedMetrics collect(String namespace, String job, List<PodObservation> pods) {
        if (pods.isEmpty()) {
            return CollectedMetrics.unavailable("no ready pod to scrape");
        }
        Map<PodObservation, CompletableFuture<HttpResponse<byte[]>>> pending = new LinkedHashMap<>();
        for (PodObservation p : pods) {
            if (p.podIp() == null || p.podIp().isBlank()) {
                return CollectedMetrics.unavailable("pod " + p.name() + " has no IP yet");
            }
            String host = p.podIp().contains(":") ? "[" + p.podIp() + "]" : p.podIp();
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + p.httpPort() + "/metrics"))
                    .timeout(timeout).header("Accept", ACCEPT).GET().build();
            pending.put(p, http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()));
        }
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(200);
        List<PodMetrics> out = new ArrayList<>();
        Map<String, Map<String, CollectedMetrics.Pressure>> pressure = new LinkedHashMap<>();
        String problem = null;
        for (Map.Entry<PodObservation, CompletableFuture<HttpResponse<byte[]>>> e : pending.entrySet()) {
            String pod = e.getKey().name();
            HttpResponse<byte[]> resp;
            try {
                resp = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return CollectedMetrics.unavailable("interrupted");
            } catch (ExecutionException | TimeoutException ex) {
                e.getValue().cancel(true);
                Throwable cause = ex.getCause() == null ? ex : ex.getCause();
                problem = problem != null ? problem : "pod " + pod + ": /metrics did not answer ("
                        + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()) + ")";
                continue;
            }
            if (resp.statusCode() != 200) {
                problem = problem != null ? problem : "pod " + pod + ": /metrics answered " + resp.statusCode();
                continue;
            }
            Scrape now;
            try {
                now = parse(resp.body(), System.nanoTime());
            } catch (IOException ex) {
                problem = problem != null ? problem : "pod " + pod + ": unreadable /metrics (" + ex.getMessage() + ")";
                continue;
            }
            if (now.operators().isEmpty()) {
                problem = problem != null ? problem : "pod " + pod + ": /metrics has no stretch_operator_* series";
                continue;
            }
            Scrape before = previous.put(pod, now);
            out.addAll(rates(pod, before, now));
            pressure.put(pod, pressure(before, now));
        }
        previous.keySet().retainAll(pods.stream().map(PodObservation::name).toList());
        if (problem != null) {
            return CollectedMetrics.unavailable(problem);
        }
        return new CollectedMetrics(out, pressure, null);
    }

    /**
     * Per operator (chained ones have no time of their own), the fraction of its instances' time spent waiting
     * for room downstream between two scrapes; absent without a previous scrape, or when its instances changed.
     */
    static Map<String, CollectedMetrics.Pressure> pressure(Scrape before, Scrape now) {
        Map<String, CollectedMetrics.Pressure> out = new LinkedHashMap<>();
        if (before == null) {
            return out;
        }
        double dt = (now.nanos() - before.nanos()) / 1e9;
        for (Map.Entry<String, Counters> e : now.operators().entrySet()) {
            Counters c = e.getValue();
            Counters b = before.operators().get(e.getKey());
            if (b == null || dt <= 0 || c.backpressuredInstances() == 0
                    || c.backpressuredInstances() != b.backpressuredInstances()
                    || !(c.backpressuredSeconds() >= b.backpressuredSeconds())) {
                continue;
            }
            double f = (c.backpressuredSeconds() - b.backpressuredSeconds()) / dt / c.backpressuredInstances();
            out.put(e.getKey(), new CollectedMetrics.Pressure(c.kind(), Math.min(1, f)));
        }
        return out;
    }

    /** The keyed operators of one pod, with rates against its previous scrape (NaN without one). */
    static List<PodMetrics> rates(String pod, Scrape before, Scrape now) {
        List<PodMetrics> out = new ArrayList<>();
        for (Map.Entry<String, Counters> e : now.operators().entrySet()) {
            Counters c = e.getValue();
            if (!"window".equals(c.kind())) {
                continue; // only keyed (window/join) operators have elastic thread pools
            }
            Counters b = before == null ? null : before.operators().get(e.getKey());
            double dt = before == null ? 0 : (now.nanos() - before.nanos()) / 1e9;
            double processed = Double.NaN;
            double arriving = Double.NaN;
            double busy = c.busyRatio();
            if (b != null && dt > 0 && c.tuplesIn() >= b.tuplesIn() && c.busySeconds() >= b.busySeconds()) {
                processed = (c.tuplesIn() - b.tuplesIn()) / dt;
                arriving = Math.max(0, processed + (c.backlog() - b.backlog()) / dt);
                if (c.threads() == b.threads() && c.threads() > 0) {
                    busy = Math.min(1, (c.busySeconds() - b.busySeconds()) / dt / c.threads());
                }
            }
            out.add(new PodMetrics(pod, e.getKey(), c.threads(), processed, arriving, busy, c.backlog(),
                    c.lagSeconds() * 1000));
        }
        return out;
    }

    /** Reads a delimited protobuf exposition into per-operator counters. */
    static Scrape parse(byte[] body, long nanos) throws IOException {
        Map<String, Map<String, Double>> byFamily = new HashMap<>();
        Map<String, String> kinds = new HashMap<>();
        Map<String, Integer> instanceSeries = new HashMap<>();
        try (InputStream in = new ByteArrayInputStream(body)) {
            Metrics.MetricFamily f;
            while ((f = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
                String name = f.getName();
                for (Metrics.Metric m : f.getMetricList()) {
                    String op = null;
                    String kind = null;
                    for (Metrics.LabelPair l : m.getLabelList()) {
                        if (l.getName().equals("operator")) {
                            op = l.getValue();
                        } else if (l.getName().equals("kind")) {
                            kind = l.getValue();
                        }
                    }
                    if (op == null) {
                        continue;
                    }
                    double v = m.hasCounter() ? m.getCounter().getValue()
                            : m.hasGauge() ? m.getGauge().getValue() : m.getUntyped().getValue();
                    if (name.equals("stretch_operator_info") || name.equals("stretch_operator")) {
                        kinds.put(op, kind);
                    }
                    String family = name.endsWith("_total") ? name.substring(0, name.length() - 6) : name;
                    if (family.startsWith("stretch_operator_instance_")) {
                        // one series per instance: summed per operator
                        byFamily.computeIfAbsent(family, k -> new HashMap<>()).merge(op, v, Double::sum);
                        if (family.equals(BACKPRESSURED)) {
                            instanceSeries.merge(op, 1, Integer::sum);
                        }
                    } else {
                        byFamily.computeIfAbsent(family, k -> new HashMap<>()).put(op, v);
                    }
                }
            }
        }
        Map<String, Counters> ops = new LinkedHashMap<>();
        Map<String, Double> instances = byFamily.getOrDefault("stretch_operator_instances", Map.of());
        for (Map.Entry<String, Double> e : instances.entrySet()) {
            String op = e.getKey();
            ops.put(op, new Counters(kinds.getOrDefault(op, "unknown"), e.getValue().intValue(),
                    value(byFamily, "stretch_operator_tuples_in", op),
                    value(byFamily, "stretch_operator_busy_seconds", op),
                    value(byFamily, "stretch_operator_backlog_tuples", op),
                    value(byFamily, "stretch_operator_event_time_lag_seconds", op),
                    value(byFamily, "stretch_operator_busy_ratio", op), value(byFamily, BACKPRESSURED, op),
                    instanceSeries.getOrDefault(op, 0)));
        }
        return new Scrape(nanos, ops);
    }

    private static double value(Map<String, Map<String, Double>> byFamily, String family, String op) {
        Double v = byFamily.getOrDefault(family, Map.of()).get(op);
        return v == null ? Double.NaN : v;
    }
}
