package dev.stretch.operator.kubelet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stretch.model.Defaults;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.operator.JobObjects;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for {@code stretch pod} that implements only the pod contract the operator relies on — environment,
 * mounted files, {@code /healthz}, {@code /readyz}, {@code /metrics}, {@code GET /v1/status},
 * {@code PUT /v1/parallelism} with the bearer token — and computes nothing. The test kubelet runs it only with
 * {@code -Dstretch.kubelet.runtime=stub}, to exercise the operator's loop before (or without) the real runtime jar;
 * the default is the real {@code runtime-image/target/stretch.jar}.
 */
public final class StubStretchPod {
    private StubStretchPod() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !args[0].equals("pod")) {
            System.err.println("usage: stretch pod");
            System.exit(2);
        }
        Path jobFile = Path.of(required("STRETCH_JOB_FILE"));
        String token = Files.readString(Path.of(required("STRETCH_TOKEN_FILE"))).trim();
        String pod = required("POD_NAME");
        // the pod count is read on every request: the kubelet rewrites the file when the job scales (CONTRACTS C1)
        Path topology = Path.of(required("STRETCH_TOPOLOGY_FILE"));
        int pods = podCount(topology);
        String bind = System.getenv().getOrDefault("STRETCH_BIND_ADDRESS", "0.0.0.0");
        int port = Integer.parseInt(System.getenv().getOrDefault("STRETCH_HTTP_PORT", "8080"));
        StreamJobReader.Result read = StreamJobReader.read(jobFile);
        if (!read.ok() || !StreamJobValidator.validate(read.manifest()).isEmpty()) {
            System.err.println("invalid job: " + read.errors() + " " + StreamJobValidator.validate(read.manifest()));
            System.exit(1);
        }
        StreamJobManifest job = read.manifest();
        Map<String, Integer> instances = new ConcurrentHashMap<>();
        List<Map<String, Object>> operators = new ArrayList<>();
        List<PipelineStage> stages = job.getSpec().getPipeline() == null ? List.of() : job.getSpec().getPipeline();
        List<String> names = StreamJobValidator.stageNames(stages);
        for (int i = 0; i < stages.size(); i++) {
            String kind = StreamJobValidator.kindOf(stages.get(i));
            if (kind.equals("map") || kind.equals("filter")) {
                continue; // chained into the operator before them
            }
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("name", names.get(i));
            op.put("kind", kind.equals("join") ? "window" : kind);
            boolean keyed = kind.equals("window") || kind.equals("join");
            instances.put(names.get(i), keyed ? Defaults.threadsInitial(job.getSpec()) : 1);
            op.put("minInstances", keyed ? Defaults.threadsMin(job.getSpec()) : 1);
            op.put("maxInstances", keyed ? Defaults.threadsMax(job.getSpec()) : 1);
            op.put("busyRatio", 0.25);
            op.put("backlog", 3);
            op.put("eventTimeLagMs", 40);
            operators.add(op);
        }
        ObjectMapper json = new ObjectMapper();
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/healthz", ex -> reply(ex, 200, "text/plain", "ok"));
        server.createContext("/readyz", ex -> reply(ex, 200, "text/plain", "ready"));
        server.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4",
                "# TYPE stretch_stub_up gauge\nstretch_stub_up 1\n"));
        server.createContext("/v1/status", ex -> {
            List<Map<String, Object>> ops = new ArrayList<>();
            for (Map<String, Object> o : operators) {
                Map<String, Object> c = new LinkedHashMap<>(o);
                c.put("instances", instances.get((String) o.get("name")));
                int count = podCount(topology);
                c.put("inputRate", 100.0 / count);
                c.put("outputRate", 100.0 / count);
                ops.add(c);
            }
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("job", job.name());
            status.put("state", "RUNNING");
            status.put("pod", Map.of("name", pod, "ordinal", JobObjects.ordinal(pod), "count", podCount(topology)));
            status.put("operators", ops);
            reply(ex, 200, "application/json", json.writeValueAsString(status));
        });
        server.createContext("/v1/parallelism", ex -> {
            if (!"PUT".equals(ex.getRequestMethod())) {
                reply(ex, 405, "text/plain", "PUT only");
                return;
            }
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                reply(ex, 401, "text/plain", "bearer token required");
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = json.readValue(ex.getRequestBody(), Map.class);
            String op = String.valueOf(body.get("operator"));
            if (!instances.containsKey(op) || !(body.get("instances") instanceof Integer n)) {
                reply(ex, 400, "text/plain", "expected {\"operator\": name, \"instances\": n}");
                return;
            }
            instances.put(op, n);
            reply(ex, 200, "application/json", "{}");
        });
        server.start();
        System.out.println("stub stretch pod " + pod + " of " + job.name() + " (" + pods + " pods) on " + bind + ":" + port);
    }

    private static int podCount(Path topology) throws IOException {
        return Integer.parseInt(Files.readString(topology).trim());
    }

    private static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            System.err.println("missing environment variable " + name);
            System.exit(2);
        }
        return v;
    }

    private static void reply(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }
}
