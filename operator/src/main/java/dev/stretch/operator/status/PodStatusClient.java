package dev.stretch.operator.status;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Asks pods for their {@code GET /v1/status}, all at once, each bounded by a timeout. A pod that does not answer
 * (network policy, still starting, overloaded) is reported as unreachable, never as an error: status is best
 * effort and must not stall reconciliation.
 */
public class PodStatusClient {
    private static final Logger LOG = Logger.getLogger(PodStatusClient.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final HttpClient http;
    private final Duration timeout;

    public PodStatusClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The pods with an IP, asked in parallel; the answer has an entry for each of them, report null when none. */
    public List<PodObservation> query(List<PodObservation> pods) {
        Map<PodObservation, CompletableFuture<RuntimeReport>> pending = new LinkedHashMap<>();
        for (PodObservation p : pods) {
            if (p.podIp() != null && !p.podIp().isBlank()) {
                pending.put(p, fetch(p));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
        List<PodObservation> out = new ArrayList<>();
        for (PodObservation p : pods) {
            CompletableFuture<RuntimeReport> f = pending.get(p);
            if (f == null) {
                out.add(p);
                continue;
            }
            RuntimeReport r = null;
            try {
                r = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                f.cancel(true);
                LOG.debugf("pod %s: no status (%s)", p.name(), e.getCause() == null ? e : e.getCause());
            }
            out.add(p.withReport(r));
        }
        return out;
    }

    private CompletableFuture<RuntimeReport> fetch(PodObservation p) {
        HttpRequest req = HttpRequest.newBuilder(statusUri(p.podIp(), p.httpPort())).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
            if (resp.statusCode() != 200) {
                LOG.debugf("pod %s: GET /v1/status answered %d", p.name(), resp.statusCode());
                return null;
            }
            try {
                return JSON.readValue(resp.body(), RuntimeReport.class);
            } catch (Exception e) {
                LOG.debugf("pod %s: unreadable /v1/status: %s", p.name(), e.getMessage());
                return null;
            }
        });
    }

    static URI statusUri(String ip, int port) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip; // IPv6 pod IPs
        return URI.create("http://" + host + ":" + port + "/v1/status");
    }
}
