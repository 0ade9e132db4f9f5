package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code stretch validate} on broken files: every error, each with its path, and exit code 1. */
class ValidateCommandTest {
    record Outcome(int code, String out) {
    }

    static Outcome validate(String file) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = StretchMain.run("validate", file);
            return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    static Stream<Arguments> brokenFiles() {
        return Stream.of(
                Arguments.of("bad-window.yaml", List.of(
                        "spec.pipeline[1].window.size: must be > 0",
                        "spec.pipeline[1].window.aggregate.function: 'median' is not one of [count, sum, min, max, avg]")),
                Arguments.of("bad-references.yaml", List.of(
                        "spec.pipeline[1].join.right: no stage is named 'payments'",
                        "spec.pipeline[2].from[0]: no stage is named 'nowhere'")),
                Arguments.of("bad-types.yaml", List.of(
                        "kind: must be StreamJob, was Streamjob",
                        "spec.parallelism.threads.min: 'two' is not a whole number",
                        "spec.engine.mode: 'Turbo' is not one of [VSN, SN]",
                        "spec.engine.maxKeyGroups: must be >= 1, was 0",
                        "spec.pipeline[0].source.generator.rate.profile: 'sawtooth' is not one of [constant, step, sine, burst]",
                        "spec.pipeline[0].source.generator.rate.rate: must be >= 0, was -5.0",
                        "spec.pipeline[1].sink.stdout.format: 'xml' is not one of [jsonl, csv, text]")),
                Arguments.of("bad-expressions.yaml", List.of(
                        "spec.pipeline[1].map.set.ratio: unknown field 'undefined_field'",
                        "spec.pipeline[2].filter.expression:")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void shouldReportEveryErrorWithItsPathAndExitOne(String file, List<String> expected) {
        Outcome o = validate("src/test/resources/jobs/broken/" + file);
        assertThat(o.code()).isEqualTo(1);
        List<String> lines = o.out().lines().toList();
        for (String e : expected) {
            assertThat(lines).as(o.out()).anyMatch(l -> l.startsWith(e));
        }
        assertThat(lines.get(lines.size() - 1)).matches("\\d+ errors? in .*" + file);
    }

    @Test
    void shouldPrintAOneLineSummaryAndExitZeroForEveryExample() {
        for (String ex : List.of("word-count.yaml", "sliding-average.yaml", "window-join.yaml")) {
            Outcome o = validate(Path.of("../k8s-examples", ex).toString());
            assertThat(o.code()).as(o.out()).isZero();
            assertThat(o.out().lines().toList()).hasSize(1);
            assertThat(o.out()).startsWith("job '").contains("is valid");
        }
    }

    @Test
    void shouldSayWhenTheFileDoesNotExist() {
        Outcome o = validate("no/such/job.yaml");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.out()).contains("no such file");
    }
}
