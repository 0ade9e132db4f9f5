package dev.stretch.runtime.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.stretch.api.InvalidReconfigurationException;
import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.runtime.JobHandle;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import dev.stretch.model.Durations;
import dev.stretch.runtime.ScalingHolds;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pod's HTTP interface, on one port, served by the JDK's {@link HttpServer} with a small thread pool:
 *
 * <ul>
 *   <li>{@code GET /metrics}: the job's metrics, the reconfiguration-duration histogram and the JVM's, in
 *       the Prometheus text format (or OpenMetrics / protobuf when the scraper asks for it);</li>
 *   <li>{@code GET /healthz}: liveness; 503 only once the job has failed;</li>
 *   <li>{@code GET /readyz}: readiness; 200 only while the job runs;</li>
 *   <li>{@code GET /v1/status}: JSON, see {@link JobStatus};</li>
 *   <li>{@code PUT /v1/parallelism}: rescales operators; needs {@code Authorization: Bearer TOKEN}, the token
 *       being the content of the token file; without a token file the endpoint answers 403.</li>
 * </ul>
 *
 * Other methods on these paths get 405, other paths 404. The token is read at {@link #start()} and again for each
 * control request, so a rotated Secret (the kubelet rewrites the mounted file) takes effect without a restart; it is
 * never logged.
 *
 * <pre>{@code
 * try (RuntimeHttpServer http = RuntimeHttpServer.builder(handle)
 *         .bind(new InetSocketAddress("0.0.0.0", 8080))
 *         .tokenFile(Optional.of(Path.of("/var/run/secrets/stretch/token")))
 *         .build()) {
 *     http.start();
 *     ...
 * }
 * }</pre>
 */
public final class RuntimeHttpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RuntimeHttpServer.class.getName());

    /** Upper bounds of the reconfiguration-duration histogram: 0.1 ms to 1 s, about three per decade. */
    static final double[] RECONFIGURATION_BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1.0};
    /** A control request is a few dozen bytes; anything far larger is refused unread. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final JobHandle handle;
    private final InetSocketAddress bind;
    private final Optional<Path> tokenFile;
    private final int threads;
    private final Clock clock;
    private final PrometheusRegistry registry;
    /** Valid rescaling requests that could not be completed; set when the metrics are registered. */
    private volatile Counter reconfigurationFailures;
    private final ObjectMapper json = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private HttpServer server;
    private ExecutorService pool;
    /** The last token read from the token file; volatile: written by request threads, read by all. */
    private volatile Optional<BearerToken> token = Optional.empty();
    private PrometheusScrapeHandler scrapeHandler;
    private boolean started;
    private boolean closed;

    /** The same as {@code builder(handle).bind(bind).tokenFile(tokenFile).build()}. */
    public RuntimeHttpServer(JobHandle handle, InetSocketAddress bind, Optional<Path> tokenFile) {
        this(builder(handle).bind(bind).tokenFile(tokenFile));
    }

    private RuntimeHttpServer(Builder b) {
        this.handle = b.handle;
        this.bind = b.bind;
        this.tokenFile = b.tokenFile;
        this.threads = b.threads;
        this.clock = b.clock;
        this.registry = b.registry;
    }

    public static Builder builder(JobHandle handle) {
        return new Builder(handle);
    }

    /**
     * Reads the token file, binds the port and starts serving. Registers a reconfiguration listener with
     * the job (the engine offers no way to remove it; after {@link #close()} it only updates a histogram
     * nobody reads).
     *
     * @throws IOException if the token file cannot be read or is empty, or the address cannot be bound
     * @throws IllegalStateException if called twice or after {@link #close()}
     */
    public synchronized void start() throws IOException {
        if (started || closed) {
            throw new IllegalStateException("the HTTP server can be started once");
        }
        started = true;
        if (tokenFile.isPresent()) {
            token = Optional.of(BearerToken.readFrom(tokenFile.get()));
        }
        registerMetrics();
        scrapeHandler = new PrometheusScrapeHandler(registry);
        HttpServer s = HttpServer.create(bind, 0);
        ExecutorService p = Executors.newFixedThreadPool(threads, new ServerThreads());
        s.setExecutor(p);
        s.createContext("/", this::route);
        s.start();
        server = s;
        pool = p;
        LOG.log(Level.INFO, "serving HTTP on " + address() + " for job '" + handle.jobName() + "'"
                + (token.isPresent() ? "" : "; control disabled (no token file)"));
    }

    /** The address the server listens on, with the actual port when it was started on port 0. */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("the HTTP server is not started");
        }
        return server.getAddress();
    }

    /** The port the server listens on (the ephemeral one when bound to port 0). */
    public int port() {
        return address().getPort();
    }

    /** Stops listening, abandons exchanges in flight and stops the threads. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (server == null) {
            return;
        }
        server.stop(0);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
    }

    private void registerMetrics() {
        registry.register(new JobMetricsCollector(handle));
        registry.register(new JvmMetricsCollector());
        Histogram durations = Histogram.builder()
                .name("stretch_reconfiguration_duration_seconds")
                .help("Time from a reconfiguration request to the new configuration being active")
                .unit(Unit.SECONDS)
                .constLabels(Labels.of(JobMetricsCollector.JOB, handle.jobName(), JobMetricsCollector.POD,
                        handle.podName()))
                .labelNames(JobMetricsCollector.OPERATOR)
                .classicOnly()
                .classicUpperBounds(RECONFIGURATION_BUCKETS)
                .register(registry);
        // every elastic operator has its (empty) histogram from the first scrape on
        for (JobExecution.ElasticOperator o : handle.execution().elasticOperators()) {
            durations.initLabelValues(o.name());
        }
        handle.addReconfigurationListener(
                r -> durations.labelValues(r.operator()).observe(r.durationNanos() / 1e9));
        reconfigurationFailures = Counter.builder()
                .name("stretch_reconfiguration_failures_total")
                .help("Requested reconfigurations (PUT /v1/parallelism) that a valid request could not complete: the"
                        + " job was not running, or the engine failed")
                .constLabels(Labels.of(JobMetricsCollector.JOB, handle.jobName(), JobMetricsCollector.POD,
                        handle.podName()))
                .register(registry);
    }

    // ------------------------------------------------------------------ routing

    private void route(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            switch (path) {
                case "/metrics" -> {
                    if (allow(ex, method, "GET", "HEAD")) {
                        scrapeHandler.handleRequest(new ScrapeExchange(ex));
                    }
                }
                case "/healthz" -> {
                    if (allow(ex, method, "GET", "HEAD")) {
                        liveness(ex);
                    }
                }
                case "/readyz" -> {
                    if (allow(ex, method, "GET", "HEAD")) {
                        readiness(ex);
                    }
                }
                case "/v1/status" -> {
                    if (allow(ex, method, "GET", "HEAD")) {
                        Reply.json(ex, 200, json, status());
                    }
                }
                case "/v1/parallelism" -> {
                    if (allow(ex, method, "PUT")) {
                        parallelism(ex);
                    }
                }
                default -> Reply.text(ex, 404, "not found: " + path);
            }
        } catch (RuntimeException | IOException e) {
            LOG.log(Level.WARNING, ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " failed", e);
            if (ex.getResponseCode() == -1) {
                Reply.text(ex, 500, "internal error: " + e);
            }
        } finally {
            ex.close();
        }
    }

    /** Answers 405 with an {@code Allow} header unless {@code method} is one of {@code allowed}. */
    private static boolean allow(HttpExchange ex, String method, String... allowed) throws IOException {
        for (String a : allowed) {
            if (a.equals(method)) {
                return true;
            }
        }
        ex.getResponseHeaders().set("Allow", String.join(", ", allowed));
        Reply.text(ex, 405, "method " + method + " not allowed on " + ex.getRequestURI().getPath()
                + "; allowed: " + String.join(", ", allowed));
        return false;
    }

    // ------------------------------------------------------------------ probes

    private void liveness(HttpExchange ex) throws IOException {
        JobExecution exec = handle.execution();
        JobExecution.Status s = exec.status();
        if (s == JobExecution.Status.FAILED) {
            Reply.text(ex, 503, "job '" + handle.jobName() + "' FAILED: " + failureMessage(exec).orElse("no reason"));
        } else {
            Reply.text(ex, 200, "ok: job '" + handle.jobName() + "' is " + s);
        }
    }

    private void readiness(HttpExchange ex) throws IOException {
        JobExecution.Status s = handle.execution().status();
        if (s == JobExecution.Status.RUNNING) {
            Reply.text(ex, 200, "ready: job '" + handle.jobName() + "' is RUNNING");
        } else {
            Reply.text(ex, 503, "not ready: job '" + handle.jobName() + "' is " + s);
        }
    }

    private static Optional<String> failureMessage(JobExecution exec) {
        return exec.failure().map(t -> t.getMessage() != null ? t.getMessage() : t.toString());
    }

    // ------------------------------------------------------------------ status

    JobStatus status() {
        JobExecution exec = handle.execution();
        JobExecution.Status state = exec.status();
        Map<String, OperatorRates> rates = new HashMap<>();
        for (OperatorRates r : handle.sampler().latest()) {
            rates.put(r.name(), r);
        }
        Map<String, int[]> bounds = handle.threadBounds();
        List<JobStatus.OperatorStatus> ops = new ArrayList<>();
        for (OperatorMetrics o : exec.metrics().operators()) {
            int[] b = bounds.getOrDefault(o.name(), new int[] {o.instances(), o.instances()});
            OperatorRates r = rates.get(o.name());
            String heldUntil = handle.holds().flatMap(a -> a.heldUntil(o.name()))
                    .map(Instant::toString).orElse(null);
            ops.add(new JobStatus.OperatorStatus(o.name(), o.kind(), o.instances(), b[0], b[1],
                    r == null ? 0 : r.inputRate(), r == null ? 0 : r.outputRate(), r == null ? 0 : r.busyRatio(),
                    o.backlogTuples(), o.eventTimeLagMillis(), o.watermark() == Long.MIN_VALUE ? null : o.watermark(),
                    o.lateTuples(), o.badRecords(), o.reconfigurations(), o.tuplesIn(), o.tuplesOut(), heldUntil));
        }
        double uptime = Math.max(0, Duration.between(handle.startedAt(), clock.instant()).toMillis()) / 1000.0;
        return new JobStatus(handle.jobName(), handle.pod(), state.name(), uptime,
                failureMessage(exec).orElse(null), ops);
    }

    // ------------------------------------------------------------------ control

    /**
     * The token file's content now: a rotated control token reaches the running process without a restart. While
     * the file cannot be read (being replaced, or its Secret deleted and not yet recreated) the last token read
     * stays valid.
     */
    private BearerToken currentToken() {
        try {
            BearerToken t = BearerToken.readFrom(tokenFile.orElseThrow());
            token = Optional.of(t);
            return t;
        } catch (IOException e) {
            return token.orElseThrow();
        }
    }

    private void parallelism(HttpExchange ex) throws IOException {
        if (token.isEmpty()) {
            Reply.error(ex, 403, json, "control disabled: this process was started without a control token file");
            return;
        }
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        if (!currentToken().isPresentedBy(authorization)) {
            boolean presented = authorization != null;
            LOG.log(Level.WARNING, "refused PUT /v1/parallelism from " + ex.getRemoteAddress().getAddress()
                    + (presented ? ": wrong credentials" : ": no credentials"));
            ex.getResponseHeaders().set("WWW-Authenticate",
                    presented ? "Bearer realm=\"stretch\", error=\"invalid_token\"" : "Bearer realm=\"stretch\"");
            Reply.error(ex, 401, json, presented ? "invalid bearer token" : "missing bearer token");
            return;
        }
        try {
            ParallelismRequest request = ParallelismRequest.parse(readBody(ex), json);
            JobExecution exec = handle.execution();
            Map<String, Integer> instances = request.checkAgainst(exec, handle.threadBounds());
            JobExecution.Status state = exec.status();
            if (state != JobExecution.Status.RUNNING) {
                reconfigurationFailures.inc();
                throw new RejectedRequest(409, "job '" + handle.jobName() + "' is " + state + "; it cannot be rescaled");
            }
            List<ReconfigurationResult> results = reconfigure(exec, request, instances);
            Optional<ScalingHolds> autoscaler = handle.holds();
            boolean inProcess = handle.inProcessAutoscaler().isPresent();
            Duration hold = request.hold() != null ? request.hold() : ScalingHolds.DEFAULT_HOLD;
            List<Map<String, Object>> body = new ArrayList<>();
            List<String> held = new ArrayList<>();
            for (ReconfigurationResult r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("operator", r.operator());
                m.put("from", r.from());
                m.put("to", r.to());
                m.put("changed", r.from() != r.to());
                m.put("durationMs", r.durationMillis());
                if (autoscaler.isPresent()) {
                    // a manual count is the user's decision: the autoscaler leaves it for the stated time
                    Optional<Instant> until = autoscaler.get().hold(r.operator(), hold);
                    m.put("heldUntil", until.map(Instant::toString).orElse(null));
                    held.add("'" + r.operator() + "' at " + r.to());
                }
                body.add(m);
                if (r.from() != r.to()) {
                    LOG.log(Level.INFO, "rescaled '" + r.operator() + "' from " + r.from() + " to " + r.to()
                            + " instances in " + r.durationMillis() + " ms (HTTP request)");
                }
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("results", body);
            if (autoscaler.isPresent()) {
                // without an in-process autoscaler the hold is for the Kubernetes operator, which reads heldUntil
                // from GET /v1/status and makes no thread decision for this pod until then
                String who = inProcess ? "the in-process autoscaler" : "the operator's autoscaler";
                reply.put("autoscaler", hold.isZero()
                        ? who + " may change " + String.join(", ", held) + " again at its next decision"
                        : who + " leaves " + String.join(", ", held) + " for " + Durations.format(hold)
                                + ", then decides again from there; send \"hold\": \"0s\" to hand back sooner, or a "
                                + "longer \"hold\" (up to 24h)");
            }
            Reply.json(ex, 200, json, reply);
        } catch (RejectedRequest e) {
            Reply.error(ex, e.status(), json, e.getMessage());
        }
    }

    private List<ReconfigurationResult> reconfigure(JobExecution exec, ParallelismRequest request,
            Map<String, Integer> instances) throws RejectedRequest {
        try {
            if (request.single()) {
                Map.Entry<String, Integer> only = instances.entrySet().iterator().next();
                return List.of(exec.reconfigure(only.getKey(), only.getValue()));
            }
            return exec.reconfigure(instances);
        } catch (InvalidReconfigurationException e) {
            throw new RejectedRequest(400, e.getMessage());
        } catch (IllegalStateException e) {
            // the job stopped between our check and the engine's
            reconfigurationFailures.inc();
            throw new RejectedRequest(409, e.getMessage());
        }
    }

    private static byte[] readBody(HttpExchange ex) throws IOException, RejectedRequest {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new RejectedRequest(413, "request body larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
    }

    /** Daemon threads, so that a server nobody closed does not keep the process alive. */
    private static final class ServerThreads implements ThreadFactory {
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "stretch-http-" + next.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** Settings of a {@link RuntimeHttpServer}. */
    public static final class Builder {
        private final JobHandle handle;
        private InetSocketAddress bind = new InetSocketAddress("0.0.0.0", 8080);
        private Optional<Path> tokenFile = Optional.empty();
        private int threads = 4;
        private Clock clock = Clock.systemUTC();
        private PrometheusRegistry registry = new PrometheusRegistry();

        private Builder(JobHandle handle) {
            this.handle = Objects.requireNonNull(handle, "handle");
        }

        /** Address and port to listen on (default 0.0.0.0:8080); port 0 picks a free one. */
        public Builder bind(InetSocketAddress address) {
            this.bind = Objects.requireNonNull(address, "bind");
            return this;
        }

        /** File holding the control token; empty (the default) disables {@code PUT /v1/parallelism}. */
        public Builder tokenFile(Optional<Path> file) {
            this.tokenFile = Objects.requireNonNull(file, "tokenFile");
            return this;
        }

        /**
         * Threads serving requests (default 4). A rescaling request holds its thread until the new
         * configuration is active, so keep at least 2 for the probes and scrapes to go on meanwhile.
         */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("threads must be >= 1, was " + n);
            }
            this.threads = n;
            return this;
        }

        /** Clock for the uptime in {@code /v1/status} (default: the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The registry {@code /metrics} serves (default: a new one). Pass one to serve other components'
         * metrics too (connectors, autoscaler); {@link RuntimeHttpServer#start()} adds the job's, the JVM's and the
         * reconfiguration histogram to it, so a registry serves one server only.
         */
        public Builder registry(PrometheusRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        public RuntimeHttpServer build() {
            return new RuntimeHttpServer(this);
        }
    }
}
