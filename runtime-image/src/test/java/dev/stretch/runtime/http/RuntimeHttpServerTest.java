package dev.stretch.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.util.Map.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.api.JobExecution;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The endpoints of {@link RuntimeHttpServer}, against a real engine job and real HTTP on 127.0.0.1. */
class RuntimeHttpServerTest {
    private static final String TOKEN = "s3cr3t-token-4-tests";
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private ServedJob serve(TestJob job, boolean withToken) throws IOException {
        toClose.add(job);
        Optional<Path> tokenFile = Optional.empty();
        if (withToken) {
            Path f = dir.resolve("token");
            Files.writeString(f, "  " + TOKEN + "\n");
            tokenFile = Optional.of(f);
        }
        ServedJob s = ServedJob.of(job, tokenFile);
        toClose.add(s);
        return s;
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private static JobExecution.Status awaitEnd(JobExecution e) {
        await().atMost(PATIENCE).until(() -> e.status() != JobExecution.Status.RUNNING);
        return e.status();
    }

    @Nested
    class Metrics {
        private ServedJob served;

        @BeforeEach
        void start() throws IOException {
            served = serve(TestJob.endless(), true);
        }

        private ExpositionText scrape() {
            HttpResponse<String> r = served.get("/metrics");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return new ExpositionText(r.body());
        }

        @Test
        void shouldServePageThatPromtoolAcceptsWhenEveryFamilyIsPresent() throws Exception {
            JobExecution exec = served.job().execution();
            served.job().sampler().sample();
            exec.reconfigure("counts", 2);
            await().atMost(PATIENCE).until(() -> exec.metrics().operator("counts").orElseThrow().tuplesIn() > 0);
            served.job().sampler().sample();

            HttpResponse<String> r = served.get("/metrics");
            // stretch_pod_count is the name contract C1 fixed (the operator and dashboards use it); promtool's
            // naming lint objects to a gauge ending in _count, so that family is checked apart from the lint
            String podCount = "stretch_pod_count";
            Promtool.Check check = Promtool.checkMetrics(r.body().lines().filter(l -> !l.contains(podCount))
                    .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
            assertThat(r.body()).contains("# TYPE stretch_pod_count gauge\n");

            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("text/plain; version=0.0.4"));
            assertThat(check.exitCode()).as("promtool check metrics said:\n%s\non:\n%s", check.output(), r.body())
                    .isZero();
            assertThat(check.output()).isBlank();
            assertThat(new ExpositionText(r.body()).types()).containsAllEntriesOf(Map.ofEntries(
                    entry("stretch_job_state", "gauge"),
                    entry("stretch_job_start_time_seconds", "gauge"),
                    entry("stretch_pod_count", "gauge"),
                    entry("stretch_pod_ordinal", "gauge"),
                    entry("stretch_operator_info", "gauge"),
                    entry("stretch_operator_instances", "gauge"),
                    entry("stretch_operator_min_instances", "gauge"),
                    entry("stretch_operator_max_instances", "gauge"),
                    entry("stretch_operator_tuples_in_total", "counter"),
                    entry("stretch_operator_tuples_out_total", "counter"),
                    entry("stretch_operator_busy_seconds_total", "counter"),
                    entry("stretch_operator_busy_ratio", "gauge"),
                    entry("stretch_operator_backlog_tuples", "gauge"),
                    entry("stretch_operator_event_time_lag_seconds", "gauge"),
                    entry("stretch_operator_watermark_seconds", "gauge"),
                    entry("stretch_operator_late_tuples_total", "counter"),
                    entry("stretch_operator_bad_records_total", "counter"),
                    entry("stretch_operator_dead_letters_total", "counter"),
                    entry("stretch_operator_reconfigurations_total", "counter"),
                    entry("stretch_operator_instance_tuples_in_total", "counter"),
                    entry("stretch_operator_instance_tuples_read_total", "counter"),
                    entry("stretch_operator_instance_tuples_out_total", "counter"),
                    entry("stretch_operator_instance_busy_seconds_total", "counter"),
                    entry("stretch_operator_instance_backpressured_seconds_total", "counter"),
                    entry("stretch_reconfiguration_duration_seconds", "histogram"),
                    entry("jvm_memory_used_bytes", "gauge"),
                    entry("process_cpu_seconds_total", "counter")));
        }

        @Test
        void shouldLabelOperatorSeriesWithJobPodAndOperator() {
            ExpositionText page = scrape();

            assertThat(page.samples("stretch_operator_tuples_in_total")).extracting(s -> s.labels().get("operator"))
                    .containsExactlyInAnyOrder("events", "tag", "counts", "out");
            assertThat(page.samples("stretch_operator_tuples_in_total")).allSatisfy(s -> assertThat(s.labels())
                    .containsEntry("job", TestJob.JOB).containsEntry("pod", TestJob.POD).hasSize(3));
            assertThat(page.samples("stretch_operator_info", "operator", "tag")).singleElement()
                    .satisfies(s -> assertThat(s.labels()).containsEntry("kind", "chained"));
            assertThat(page.value("stretch_operator_max_instances", "operator", "counts")).hasValue(3.0);
            assertThat(page.value("stretch_operator_max_instances", "operator", "out")).hasValue(1.0);
            assertThat(page.samples("stretch_pod_count")).singleElement().satisfies(s -> {
                assertThat(s.value()).isEqualTo(TestJob.PODS);
                assertThat(s.labels()).containsEntry("job", TestJob.JOB).containsEntry("pod", TestJob.POD);
            });
            assertThat(page.samples("stretch_pod_ordinal")).singleElement()
                    .satisfies(s -> assertThat(s.value()).isEqualTo(TestJob.ORDINAL));
        }

        @Test
        void shouldCountAChainedOperatorsOwnTuplesInAndOut() {
            await().atMost(PATIENCE).untilAsserted(() -> {
                ExpositionText page = scrape();
                double in = page.value("stretch_operator_tuples_in_total", "operator", "tag").orElseThrow();
                assertThat(in).isPositive();
                // the map passes every tuple on; the busy and backlog families stay its parent's
                assertThat(page.value("stretch_operator_tuples_out_total", "operator", "tag")).isPresent();
                assertThat(page.samples("stretch_operator_busy_seconds_total", "operator", "tag")).isEmpty();
            });
        }

        @Test
        void shouldGrowTuplesInTotalWhileJobRuns() {
            double first = scrape().value("stretch_operator_tuples_in_total", "operator", "counts").orElseThrow();

            await().atMost(PATIENCE).untilAsserted(() -> assertThat(
                    scrape().value("stretch_operator_tuples_in_total", "operator", "counts")).hasValueSatisfying(
                            v -> assertThat(v).isGreaterThan(first)));
        }

        @Test
        void shouldFollowInstancesAndObserveDurationWhenOperatorIsRescaled() {
            ExpositionText before = scrape();
            assertThat(before.value("stretch_reconfiguration_duration_seconds_count", "operator", "counts"))
                    .hasValue(0.0);
            assertThat(before.samples("stretch_operator_instance_tuples_in_total", "operator", "counts")).hasSize(1);

            served.job().execution().reconfigure("counts", 3);
            ExpositionText up = scrape();
            served.job().execution().reconfigure("counts", 1);
            ExpositionText down = scrape();

            assertThat(up.value("stretch_operator_instances", "operator", "counts")).hasValue(3.0);
            assertThat(up.samples("stretch_operator_instance_busy_seconds_total", "operator", "counts"))
                    .extracting(s -> s.labels().get("operator_instance")).containsExactly("0", "1", "2");
            assertThat(up.value("stretch_reconfiguration_duration_seconds_count", "operator", "counts"))
                    .hasValue(1.0);
            assertThat(down.value("stretch_operator_instances", "operator", "counts")).hasValue(1.0);
            assertThat(down.samples("stretch_operator_instance_busy_seconds_total", "operator", "counts"))
                    .hasSize(1);
            assertThat(down.value("stretch_operator_reconfigurations_total", "operator", "counts")).hasValue(2.0);
            assertThat(down.value("stretch_reconfiguration_duration_seconds_count", "operator", "counts"))
                    .hasValue(2.0);
            assertThat(down.value("stretch_reconfiguration_duration_seconds_bucket", "operator", "counts",
                    "le", "+Inf")).hasValue(2.0);
            for (String counter : List.of("stretch_operator_tuples_in_total", "stretch_operator_busy_seconds_total")) {
                assertThat(down.value(counter, "operator", "counts").orElseThrow()).as(counter)
                        .isGreaterThanOrEqualTo(up.value(counter, "operator", "counts").orElseThrow());
            }
        }

        @Test
        void shouldExportBusyRatioOnlyOnceSampled() {
            assertThat(scrape().samples("stretch_operator_busy_ratio")).isEmpty();

            served.job().sampler().sample();
            served.job().sampler().sample();
            ExpositionText page = scrape();

            assertThat(page.samples("stretch_operator_busy_ratio")).extracting(s -> s.labels().get("operator"))
                    .containsExactlyInAnyOrder("events", "counts", "out");
            assertThat(page.samples("stretch_operator_busy_ratio")).allSatisfy(
                    s -> assertThat(s.value()).isBetween(0.0, 1.0));
        }

        @Test
        void shouldMarkCurrentJobStateWhenJobIsCancelled() {
            assertThat(scrape().value("stretch_job_state", "state", "RUNNING")).hasValue(1.0);

            served.job().execution().cancel();
            awaitEnd(served.job().execution());
            ExpositionText page = scrape();

            assertThat(page.value("stretch_job_state", "state", "CANCELLED")).hasValue(1.0);
            assertThat(page.value("stretch_job_state", "state", "RUNNING")).hasValue(0.0);
            assertThat(page.samples("stretch_job_state")).hasSize(4);
        }

        @Test
        void shouldCompressPageWhenScraperAcceptsGzip() throws IOException {
            HttpResponse<byte[]> r = served.getBytes("/metrics", "Accept-Encoding", "gzip");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String page;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(new ExpositionText(page).value("stretch_operator_instances", "operator", "counts"))
                    .hasValue(1.0);
        }

        @Test
        void shouldServeOpenMetricsWhenScraperAsksForIt() {
            HttpResponse<byte[]> r = served.getBytes("/metrics", "Accept",
                    "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                    ct -> assertThat(ct).startsWith("application/openmetrics-text"));
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .contains("# TYPE stretch_operator_tuples_in counter")
                    .contains("# UNIT stretch_reconfiguration_duration_seconds seconds")
                    .endsWith("# EOF\n");
        }

        @Test
        void shouldServeOtherComponentsMetricsWhenGivenTheirRegistry() throws IOException {
            TestJob job = TestJob.endless();
            toClose.add(job);
            PrometheusRegistry registry = new PrometheusRegistry();
            Counter polls = Counter.builder().name("stretch_connector_polls").help("polls").register(registry);
            polls.inc(7);
            ServedJob withRegistry = ServedJob.of(job, b -> b.registry(registry));
            toClose.add(withRegistry);

            ExpositionText page = new ExpositionText(withRegistry.get("/metrics").body());

            assertThat(page.value("stretch_connector_polls_total")).hasValue(7.0);
            assertThat(page.samples("stretch_operator_tuples_in_total")).isNotEmpty();
        }

        @Test
        void shouldServeOnlyRequestedFamiliesWhenNameFilterIsGiven() {
            ExpositionText page = new ExpositionText(served.get(
                    "/metrics?name[]=stretch_operator_instances&name[]=jvm_threads_current").body());

            // the client library also lets through families whose name is a prefix of a requested one
            // (it ignores suffixes such as _total that way): here stretch_operator_info's base name
            assertThat(page.types()).containsKeys("stretch_operator_instances", "jvm_threads_current")
                    .doesNotContainKeys("stretch_operator_tuples_in_total", "jvm_memory_used_bytes");
        }
    }

    @Nested
    class Probes {
        @Test
        void shouldAnswerLiveAndReadyWhenJobRuns() throws IOException {
            ServedJob served = serve(TestJob.endless(), false);

            assertThat(served.get("/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = served.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("RUNNING");
        }

        @Test
        void shouldAnswerNotLiveWithReasonWhenJobFailed() throws IOException {
            ServedJob served = serve(TestJob.endless(), false);
            assertThat(served.get("/healthz").statusCode()).isEqualTo(200);

            served.job().poison();
            assertThat(awaitEnd(served.job().execution())).isEqualTo(JobExecution.Status.FAILED);

            HttpResponse<String> health = served.get("/healthz");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("FAILED").contains("poisoned at tick");
            assertThat(served.get("/readyz").statusCode()).isEqualTo(503);
        }

        @Test
        void shouldStayLiveButNotReadyWhenJobFinished() throws IOException {
            ServedJob served = serve(TestJob.bounded(500), false);

            assertThat(awaitEnd(served.job().execution())).isEqualTo(JobExecution.Status.FINISHED);

            assertThat(served.get("/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = served.get("/readyz");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("FINISHED");
        }
    }

    @Nested
    class Status {
        @Test
        void shouldDescribeJobAndOperatorsWhenStatusIsRequested() throws IOException {
            TestJob job = TestJob.endless();
            toClose.add(job);
            Clock clock = Clock.fixed(job.startedAt().plusMillis(42_500), ZoneOffset.UTC);
            ServedJob served = ServedJob.of(job, b -> b.clock(clock));
            toClose.add(served);
            job.sampler().sample();
            await().atMost(PATIENCE).until(() -> job.sampler().sample().stream().anyMatch(
                    r -> r.name().equals("counts") && r.inputRate() > 0 && r.watermark() != Long.MIN_VALUE));

            HttpResponse<String> r = served.get("/v1/status");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
            JsonNode s = json(r);
            assertThat(s.get("job").asText()).isEqualTo(TestJob.JOB);
            assertThat(s.get("pod").get("name").asText()).isEqualTo(TestJob.POD);
            assertThat(s.get("pod").get("ordinal").asInt()).isEqualTo(TestJob.ORDINAL);
            assertThat(s.get("pod").get("count").asInt()).isEqualTo(TestJob.PODS);
            assertThat(s.get("state").asText()).isEqualTo("RUNNING");
            assertThat(s.get("uptimeSeconds").asDouble()).isEqualTo(42.5);
            assertThat(s.get("failure").isNull()).isTrue();
            List<String> names = new ArrayList<>();
            s.get("operators").forEach(o -> names.add(o.get("name").asText()));
            assertThat(names).containsExactlyInAnyOrder("events", "tag", "counts", "out");
            JsonNode counts = operator(s, "counts");
            assertThat(counts.get("kind").asText()).isEqualTo("window");
            assertThat(counts.get("instances").asInt()).isEqualTo(1);
            assertThat(counts.get("minInstances").asInt()).isEqualTo(1);
            assertThat(counts.get("maxInstances").asInt()).isEqualTo(TestJob.COUNTS_MAX);
            assertThat(counts.get("inputRate").asDouble()).isPositive();
            assertThat(counts.get("busyRatio").asDouble()).isBetween(0.0, 1.0);
            assertThat(counts.get("watermark").isNumber()).isTrue();
            List<String> fields = new ArrayList<>();
            counts.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("name", "kind", "instances", "minInstances", "maxInstances",
                    "inputRate", "outputRate", "busyRatio", "backlog", "eventTimeLagMs", "watermark", "lateTuples",
                    "badRecords", "reconfigurations", "tuplesIn", "tuplesOut", "heldUntil");
            JsonNode tag = operator(s, "tag");
            assertThat(tag.get("kind").asText()).isEqualTo("chained");
            assertThat(tag.get("inputRate").asDouble()).as("a chained map's own rate").isPositive();
            assertThat(tag.get("tuplesIn").asLong()).isPositive();
            JsonNode sink = operator(s, "out");
            assertThat(sink.get("minInstances").asInt()).isEqualTo(sink.get("instances").asInt())
                    .isEqualTo(sink.get("maxInstances").asInt());
        }

        @Test
        void shouldReportFailureWhenJobFailed() throws IOException {
            ServedJob served = serve(TestJob.endless(), false);
            served.job().poison();
            awaitEnd(served.job().execution());

            JsonNode s = json(served.get("/v1/status"));

            assertThat(s.get("state").asText()).isEqualTo("FAILED");
            assertThat(s.get("failure").asText()).contains("poisoned at tick");
        }

        private JsonNode operator(JsonNode status, String name) {
            for (JsonNode o : status.get("operators")) {
                if (o.get("name").asText().equals(name)) {
                    return o;
                }
            }
            throw new AssertionError("no operator " + name + " in " + status);
        }
    }

    @Nested
    class Control {
        private ServedJob served;
        private JobExecution exec;

        @BeforeEach
        void start() throws IOException {
            served = serve(TestJob.endless(), true);
            exec = served.job().execution();
        }

        @Test
        void shouldRescaleOperatorWhenTokenIsCorrect() throws IOException {
            HttpResponse<String> r = served.put("/v1/parallelism", "{\"operator\": \"counts\", \"instances\": 3}",
                    "Bearer " + TOKEN);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(exec.instances("counts")).isEqualTo(3);
            JsonNode result = json(r).get("results").get(0);
            assertThat(result.get("operator").asText()).isEqualTo("counts");
            assertThat(result.get("from").asInt()).isEqualTo(1);
            assertThat(result.get("to").asInt()).isEqualTo(3);
            assertThat(result.get("durationMs").asDouble()).isNotNegative();
        }

        @Test
        void shouldAnswerOkAndChangeAndCountNothingWhenTheCountIsAlreadyThat() throws IOException {
            HttpResponse<String> r = served.put("/v1/parallelism", "{\"instances\": {\"events\": 2, \"counts\": 1}}",
                    "Bearer " + TOKEN);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("results")).allSatisfy(n -> {
                assertThat(n.get("changed").asBoolean()).isFalse();
                assertThat(n.get("from").asInt()).isEqualTo(n.get("to").asInt());
            });
            assertThat(json(r).has("autoscaler")).as("no in-process autoscaler here").isFalse();
            ExpositionText page = new ExpositionText(served.get("/metrics").body());
            assertThat(page.value("stretch_operator_reconfigurations_total", "operator", "events")).hasValue(0.0);
            assertThat(page.value("stretch_operator_reconfigurations_total", "operator", "counts")).hasValue(0.0);
            assertThat(page.value("stretch_reconfiguration_duration_seconds_count", "operator", "events")).hasValue(0.0);
        }

        @Test
        void shouldRescaleEveryOperatorWhenInstancesIsAnObject() throws IOException {
            HttpResponse<String> r = served.put("/v1/parallelism", "{\"instances\": {\"counts\": 2, \"events\": 1}}",
                    "bearer " + TOKEN);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(exec.instances("counts")).isEqualTo(2);
            assertThat(exec.instances("events")).isEqualTo(1);
            assertThat(json(r).get("results")).extracting(n -> n.get("operator").asText())
                    .containsExactly("counts", "events");
        }

        @Test
        void shouldRefuseAndChangeNothingWhenTokenIsMissing() {
            HttpResponse<String> r = served.put("/v1/parallelism", "{\"operator\": \"counts\", \"instances\": 3}",
                    null);

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(exec.instances("counts")).isEqualTo(1);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "Bearer wrong-token",
            "Bearer " + TOKEN + "x",
            "Basic " + TOKEN,
            TOKEN,
        })
        void shouldRefuseAndChangeNothingWhenCredentialsAreWrong(String authorization) {
            HttpResponse<String> r = served.put("/v1/parallelism", "{\"operator\": \"counts\", \"instances\": 3}",
                    authorization);

            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    v -> assertThat(v).startsWith("Bearer"));
            assertThat(r.body()).doesNotContain(TOKEN);
            assertThat(exec.instances("counts")).isEqualTo(1);
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "{\"operator\": \"counts\", \"instances\": 3         | malformed JSON",
            "not json                                           | malformed JSON",
            "''                                                 | empty body",
            "[1, 2]                                             | JSON object",
            "{\"operator\": \"counts\", \"instances\": 2, \"force\": true} | unknown field 'force'",
            "{\"instances\": 2}                                 | missing field 'operator'",
            "{\"operator\": \"counts\"}                         | missing field 'instances'",
            "{\"operator\": \"nope\", \"instances\": 2}         | unknown operator 'nope'",
            "{\"operator\": \"out\", \"instances\": 2}          | operator 'out' (sink) cannot be rescaled",
            "{\"operator\": \"tag\", \"instances\": 2}          | operator 'tag' (chained) cannot be rescaled",
            "{\"operator\": \"counts\", \"instances\": 4}       | instances of 'counts' must be in [1, 3], was 4",
            "{\"operator\": \"counts\", \"instances\": 0}       | instances of 'counts' must be in [1, 3], was 0",
            "{\"operator\": \"counts\", \"instances\": 2.5}     | instances of 'counts' must be an integer",
            "{\"operator\": \"counts\", \"instances\": \"2\"}   | instances of 'counts' must be an integer",
            "{\"instances\": {\"events\": 1, \"counts\": 9}}    | instances of 'counts' must be in [1, 3], was 9",
            "{\"instances\": {\"events\": 1, \"nope\": 1}}      | unknown operator 'nope'",
            "{\"instances\": {}}                                | names no operator",
            "{\"operator\": \"counts\", \"operator\": \"events\", \"instances\": 1} | Duplicate field 'operator'",
        })
        void shouldRejectAndChangeNothingWhenRequestIsInvalid(String body, String reason) throws IOException {
            HttpResponse<String> r = served.put("/v1/parallelism", body, "Bearer " + TOKEN);

            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(json(r).get("error").asText()).contains(reason);
            assertThat(exec.instances("counts")).isEqualTo(1);
            assertThat(exec.instances("events")).isEqualTo(2);
            assertThat(exec.metrics().operators()).allSatisfy(o -> assertThat(o.reconfigurations()).isZero());
        }

        @Test
        void shouldAnswerConflictWhenJobNoLongerRuns() {
            exec.cancel();
            awaitEnd(exec);

            HttpResponse<String> r = served.put("/v1/parallelism", "{\"operator\": \"counts\", \"instances\": 2}",
                    "Bearer " + TOKEN);

            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("CANCELLED");
        }

        @Test
        void shouldAnswerForbiddenWhenControlIsDisabled() throws IOException {
            ServedJob open = serve(TestJob.endless(), false);

            HttpResponse<String> r = open.put("/v1/parallelism", "{\"operator\": \"counts\", \"instances\": 2}",
                    "Bearer " + TOKEN);

            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(json(r).get("error").asText()).contains("control disabled");
            assertThat(open.job().execution().instances("counts")).isEqualTo(1);
        }
    }

    @Nested
    class Routing {
        private ServedJob served;

        @BeforeEach
        void start() throws IOException {
            served = serve(TestJob.endless(), true);
        }

        @ParameterizedTest
        @CsvSource({"/", "/nope", "/metrics/", "/v1", "/v1/status/x", "/v2/status"})
        void shouldAnswerNotFoundWhenPathIsUnknown(String path) {
            assertThat(served.get(path).statusCode()).isEqualTo(404);
        }

        @ParameterizedTest
        @CsvSource({
            "POST,   /metrics,        'GET, HEAD'",
            "DELETE, /healthz,        'GET, HEAD'",
            "PUT,    /readyz,         'GET, HEAD'",
            "POST,   /v1/status,      'GET, HEAD'",
            "GET,    /v1/parallelism, PUT",
            "POST,   /v1/parallelism, PUT",
        })
        void shouldAnswerMethodNotAllowedWhenMethodDoesNotFitPath(String method, String path, String allowed) {
            HttpResponse<String> r = served.send(method, path, "{}");

            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue(allowed);
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void shouldRefuseToStartWhenTokenFileIsEmpty() throws IOException {
            TestJob job = TestJob.endless();
            toClose.add(job);
            Path empty = Files.writeString(dir.resolve("empty-token"), " \n");
            RuntimeHttpServer server = new RuntimeHttpServer(job.handle(), new InetSocketAddress("127.0.0.1", 0),
                    Optional.of(empty));
            toClose.add(server);

            assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageContaining("empty-token");
        }

        @Test
        void shouldRefuseToStartWhenTokenFileIsMissing() {
            TestJob job = TestJob.endless();
            toClose.add(job);
            RuntimeHttpServer server = new RuntimeHttpServer(job.handle(), new InetSocketAddress("127.0.0.1", 0),
                    Optional.of(dir.resolve("absent")));
            toClose.add(server);

            assertThatThrownBy(server::start).isInstanceOf(IOException.class).hasMessageContaining("absent");
        }

        @Test
        void shouldListenOnEphemeralPortWhenBoundToPortZero() throws IOException {
            ServedJob served = serve(TestJob.endless(), false);

            assertThat(served.server().port()).isPositive();
            assertThat(served.get("/healthz").statusCode()).isEqualTo(200);
        }
    }
}
