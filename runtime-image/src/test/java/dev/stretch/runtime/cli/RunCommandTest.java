package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stretch run} as a user meets it, each run a process of its own: how a job that ends, fails or is
 * stopped is summarised, what bad and late records look like, and the exit codes.
 */
class RunCommandTest {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** JSON lines {ts, user, amount}, 10 ms apart; {@code edit} may change line i. */
    private Path events(int n, java.util.function.IntFunction<String> line) throws IOException {
        return write("in.jsonl", IntStream.range(0, n).mapToObj(line).collect(Collectors.joining("\n", "", "\n")));
    }

    private static String event(int i) {
        return "{\"ts\": " + (1_700_000_000_000L + i * 10L) + ", \"user\": \"u" + i % 7 + "\", \"amount\": " + i + "}";
    }

    private static String job(String name, String engine, String... stages) {
        return "apiVersion: stretch.dev/v1alpha1\nkind: StreamJob\nmetadata: {name: " + name + "}\nspec:\n"
                + (engine == null ? "" : "  engine: " + engine + "\n")
                + "  pipeline:\n" + String.join("", List.of(stages).stream().map(s -> "    - " + s + "\n").toList());
    }

    private static final String FILE_SOURCE =
            "{name: src, source: {file: {path: in.jsonl}, watermark: {timestampField: ts}}}";

    @Test
    void shouldSummariseACompletedJobAsFinishedWithEveryStageAndWhereTheOutputWent() throws Exception {
        events(1000, RunCommandTest::event);
        Path job = write("job.yaml", job("totals", null, FILE_SOURCE,
                "{name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: sum, field: amount, as: total}}}",
                "{name: big, filter: {expression: \"total > 5000\"}}",
                "{name: out, sink: {file: {path: out.jsonl}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", job.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            String out = p.stdout();
            long written = Files.readAllLines(dir.resolve("out.jsonl")).size();
            assertThat(out).contains("job 'totals' finished after ", "1,000 records in")
                    .doesNotContain("cancelled")
                    .contains("  big: 70 records in, " + written + " out")
                    .contains("  out: " + written + " records written to " + dir.resolve("out.jsonl").toRealPath());
            assertThat(written).isPositive().isLessThan(70);
        }
    }

    @Test
    void shouldFailOnAMissingKeyFieldNamingItWithoutAStackTraceAndCountTheRecordsRead() throws Exception {
        events(1000, i -> i == 999 ? "{\"ts\": " + (1_700_000_000_000L + i * 10L) + ", \"amount\": 1}" : event(i));
        Path job = write("job.yaml", job("fails", null, FILE_SOURCE,
                "{name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: count}}}",
                "{name: out, sink: {stdout: {}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", job.toString())) {
            assertThat(p.waitFor(RUN)).isEqualTo(1);
            assertThat(p.stdout()).contains("job 'fails' FAILED after", "1,000 records in", "1 bad")
                    .contains("field 'user' is missing")
                    .contains("{\"ts\":1700000009990,\"amount\":1}") // the record as JSON, as it came
                    .doesNotContain("null key");
            assertThat(p.stdout() + p.stderr()).doesNotContain("Exception", "\tat ", "java.", "SEVERE");
        }
    }

    @Test
    void shouldWriteDeadLettersAsTheRecordCameWithAReasonInWords() throws Exception {
        events(100, i -> i == 50 ? event(i).replace("\"amount\": 50", "\"amount\": \"lots\"") : event(i));
        Path job = write("job.yaml", job("letters", "{errorPolicy: DeadLetter, deadLetter: {file: {path: dead.jsonl}}}",
                FILE_SOURCE,
                "{name: doubled, map: {set: {twice: \"amount * 2\"}}}",
                "{name: big, filter: {expression: \"amount > 10\"}}",
                "{name: out, sink: {file: {path: out.jsonl}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", job.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            List<String> dead = Files.readAllLines(dir.resolve("dead.jsonl"));
            assertThat(dead).singleElement().satisfies(l -> {
                assertThat(l).startsWith("{\"operator\":\"doubled\",\"reason\":\"expression 'amount * 2' cannot be "
                        + "evaluated on this record: ");
                assertThat(l).contains("(amount = 'lots')")
                        .contains("\"record\":\"{\\\"ts\\\":1700000000500,\\\"user\\\":\\\"u1\\\",\\\"amount\\\":\\\"lots\\\"}\"")
                        .doesNotContain("Exception", "dev.cel", "=lots");
            });
            assertThat(p.stdout()).contains("dead letters: 1 to " + dir.resolve("dead.jsonl").toRealPath());
        }
    }

    @Test
    void shouldTreatAFieldAFilterReadsButTheRecordLacksAsABadRecordNotAsFalse() throws Exception {
        events(20, i -> i == 5 ? "{\"ts\": " + (1_700_000_000_000L + i * 10L) + ", \"user\": \"u5\"}" : event(i));
        Path job = write("job.yaml", job("missing", "{errorPolicy: DeadLetter, deadLetter: {file: {path: dead.jsonl}}}",
                FILE_SOURCE, "{name: big, filter: {expression: \"amount > 1\"}}", "{name: out, sink: {stdout: {}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", job.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            assertThat(Files.readString(dir.resolve("dead.jsonl")))
                    .contains("expression 'amount > 1' reads field 'amount', which this record does not have");
        }
    }

    @Test
    void shouldRouteLateRecordsToTheDeadLetterOutputWhenTheJobSaysSo() throws Exception {
        // record 50 is 400 ms older than the one before it; 100 ms of disorder are allowed
        events(100, i -> i == 50 ? "{\"ts\": " + (1_700_000_000_000L + 90L) + ", \"user\": \"late\", \"amount\": 0}"
                : event(i));
        String source = "{name: src, source: {file: {path: in.jsonl}, watermark: {timestampField: ts, maxOutOfOrderness: 100ms}}}";
        Path dropJob = write("drop.yaml", job("drop", null, source, "{name: out, sink: {file: {path: out.jsonl}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", dropJob.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            assertThat(p.stdout()).contains("1 late", "1 late records were dropped (engine.lateRecords: DeadLetter keeps them)");
        }
        Path keepJob = write("keep.yaml", job("keep", "{lateRecords: DeadLetter, deadLetter: {file: {path: dead.jsonl}}}",
                source, "{name: out, sink: {file: {path: out.jsonl}}}"));
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", keepJob.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            assertThat(Files.readAllLines(dir.resolve("dead.jsonl"))).singleElement().satisfies(l -> assertThat(l)
                    .startsWith("{\"operator\":\"src\",\"reason\":\"late: event time 1700000000090 arrived after the watermark")
                    .contains("\\\"user\\\":\\\"late\\\""));
            assertThat(Files.readAllLines(dir.resolve("out.jsonl"))).hasSize(99);
        }
    }

    private Path endless() throws IOException {
        return write("endless.yaml", job("endless", null,
                "{name: src, source: {generator: {keys: 100, rate: {rate: 2000}}}}",
                "{name: counts, window: {keyBy: key, size: 100ms, aggregate: {function: count}}}",
                "{name: out, sink: {file: {path: out.jsonl}}}"));
    }

    @Test
    void shouldPrintTheWholeSummaryAndExit143OnSigterm() throws Exception {
        assertWholeSummaryOnSignal("TERM", 143, "was stopped by SIGTERM after ");
    }

    @Test
    void shouldPrintTheWholeSummaryAndExit130OnCtrlC() throws Exception {
        assertWholeSummaryOnSignal("INT", 130, "was stopped by Ctrl-C after ");
    }

    private void assertWholeSummaryOnSignal(String signal, int code, String words) throws Exception {
        Path job = endless();
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", "--interval", "200ms", job.toString())) {
            p.awaitOutput("counts in=", Duration.ofSeconds(30)); // running: the first progress line is out
            p.signal(signal);
            assertThat(p.waitFor(RUN)).as(p.stdout() + p.stderr()).isEqualTo(code);
            String out = p.stdout();
            assertThat(out).contains("job 'endless' " + words).contains("  counts: ")
                    .contains("  out: ").endsWith("dead letters: 0 to standard error\n");
        }
    }

    @Test
    void shouldExitZeroAfterTheDurationAndSaySo() throws Exception {
        Path job = endless();
        try (StretchProcess p = StretchProcess.start(dir, "run", "--plain", "--duration", "1s", job.toString())) {
            assertThat(p.waitFor(RUN)).as(p.stderr()).isZero();
            assertThat(p.stdout()).contains("job 'endless' was stopped at the end of --duration, after ");
        }
    }
}
