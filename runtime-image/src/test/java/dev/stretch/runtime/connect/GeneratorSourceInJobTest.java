package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.Aggregations;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobExecution;
import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.WatermarkStrategy;
import dev.stretch.api.WindowResult;
import dev.stretch.api.Windows;
import dev.stretch.model.GeneratorSpec;
import dev.stretch.model.RateSpec;
import dev.stretch.model.RecordFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The connectors driven by the engine rather than by hand. */
@Timeout(60)
class GeneratorSourceInJobTest {
    @TempDir
    Path dir;

    /** Keeps every element any instance writes. */
    private static final class CollectingSink<T> implements Sink<T> {
        final Queue<T> elements = new ConcurrentLinkedQueue<>();

        @Override
        public SinkWriter<T> createWriter(int instance) {
            return (element, timestamp) -> elements.add(element);
        }
    }

    @Test
    void shouldCountEveryGeneratedRecordOnceWhenWindowedByKey() {
        GeneratorSpec spec = new GeneratorSpec();
        spec.setSeed(17L);
        spec.setKeys(50);
        spec.setSkew(1.2);
        spec.setPaced(false);
        spec.setLimit(200_000L);
        RateSpec rate = new RateSpec();
        rate.setRate(50_000.0);
        spec.setRate(rate);
        CollectingSink<WindowResult<Long, Long>> counts = new CollectingSink<>();

        StreamEnvironment env = StreamEnvironment.create();
        env.fromSource(new GeneratorSource(spec, 0L), WatermarkStrategy.forMonotonousTimestamps(), "generator")
                .setParallelism(2)
                .keyByLong(r -> (Long) r.get("key"))
                .window(Windows.tumbling(Duration.ofSeconds(1)))
                .aggregate(Aggregations.count())
                .name("count").setParallelism(2)
                .sinkTo(counts);
        JobExecution job = env.execute("generator-count");

        assertThat(job.status()).isEqualTo(JobExecution.Status.FINISHED);
        assertThat(counts.elements.stream().mapToLong(WindowResult::value).sum()).isEqualTo(200_000L);
        // 200k records at 50k/s are 4 seconds of event time: 4 windows a key at most
        assertThat(counts.elements).extracting(WindowResult::start).containsOnly(0L, 1_000L, 2_000L, 3_000L);
    }

    @Test
    void shouldSendMalformedLinesToTheDeadLetterSinkWhileTheJobGoesOn() throws Exception {
        Path in = Files.write(dir.resolve("in.jsonl"), List.of(
                "{\"ts\": 1, \"v\": 1}", "not json", "{\"v\": 3}", "{\"ts\": 4, \"v\": 4}"));
        Path out = dir.resolve("out.jsonl");
        ByteArrayOutputStream dead = new ByteArrayOutputStream();
        Sink<DeadLetter> deadLetters = new DeadLetterSink(new PrintStream(dead, true, StandardCharsets.UTF_8));

        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder()
                .errorPolicy(ErrorPolicy.DEAD_LETTER).deadLetterSink(deadLetters).build());
        env.fromSource(new FileSource(in, RecordFormat.JSONL, ',', "ts"),
                        WatermarkStrategy.<Map<String, Object>>forMonotonousTimestamps(), "file")
                .sinkTo(new FileSink<>(out, RecordFormat.JSONL));
        JobExecution job = env.execute("file-copy");

        assertThat(job.status()).isEqualTo(JobExecution.Status.FINISHED);
        assertThat(Files.readAllLines(out)).containsExactly("{\"ts\":1,\"v\":1}", "{\"ts\":4,\"v\":4}");
        assertThat(dead.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "{\"operator\":\"file\",\"reason\":\"line 2: not valid JSON: Unrecognized token 'not': was expecting "
                        + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')\","
                        + "\"record\":\"not json\",\"timestamp\":null}",
                "{\"operator\":\"file\",\"reason\":\"line 3: no timestamp: field 'ts' is missing or null\","
                        + "\"record\":\"{\\\"v\\\": 3}\",\"timestamp\":null}");
    }
}
