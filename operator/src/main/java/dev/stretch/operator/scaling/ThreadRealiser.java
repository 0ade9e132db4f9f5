package dev.stretch.operator.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.operator.status.PodObservation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Realises "threads per operator inside each pod": {@code PUT /v1/parallelism} on every pod with the job's control
 * token, then {@code GET /v1/status} to verify the counts are active. Idempotent (a pod already at the counts
 * answers {@code changed: false}); a failed or unverified pod is retried a few times with a short back-off.
 * Requests carry {@code "hold": "0s"}: they are the operator's decision, not a manual one.
 */
public final class ThreadRealiser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 3;

    private final HttpClient http;
    private final Duration timeout;

    public ThreadRealiser(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * Sets {@code threads} (operator → threads in each pod) on every pod.
     *
     * @return null when every pod runs the counts, else what went wrong (pod and reason)
     */
    public String apply(List<PodObservation> pods, Map<String, Integer> threads, String token) {
        for (PodObservation p : pods) {
            String error = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                error = applyOnce(p, threads, token);
                if (error == null || error.startsWith("refused")) {
                    break;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted";
                }
            }
            if (error != null) {
                return "pod " + p.name() + ": " + error;
            }
        }
        return null;
    }

    private String applyOnce(PodObservation p, Map<String, Integer> threads, String token) {
        String base = "http://" + (p.podIp().contains(":") ? "[" + p.podIp() + "]" : p.podIp()) + ":" + p.httpPort();
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("instances", threads);
            body.put("hold", "0s");
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/parallelism"))
                    .timeout(timeout.multipliedBy(5)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (put.statusCode() == 400 || put.statusCode() == 401 || put.statusCode() == 403) {
                return "refused: PUT /v1/parallelism answered " + put.statusCode() + " " + put.body();
            }
            if (put.statusCode() != 200) {
                return "PUT /v1/parallelism answered " + put.statusCode() + " " + put.body();
            }
            HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/status"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (get.statusCode() != 200) {
                return "GET /v1/status answered " + get.statusCode();
            }
            JsonNode ops = JSON.readTree(get.body()).path("operators");
            for (Map.Entry<String, Integer> t : threads.entrySet()) {
                int running = -1;
                for (JsonNode o : ops) {
                    if (t.getKey().equals(o.path("name").asText())) {
                        running = o.path("instances").asInt(-1);
                    }
                }
                if (running != t.getValue()) {
                    return "runs " + running + " threads of " + t.getKey() + " after asking for " + t.getValue();
                }
            }
            return null;
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
