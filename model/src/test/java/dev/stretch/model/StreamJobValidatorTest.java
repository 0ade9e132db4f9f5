package dev.stretch.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamJobValidatorTest {
    private static Path job(String name) {
        return Path.of("src/test/resources/jobs", name);
    }

    private static List<FieldError> errorsOf(String yaml) {
        StreamJobReader.Result r = StreamJobReader.read(yaml);
        if (r.manifest() == null) {
            return r.errors();
        }
        List<FieldError> all = new java.util.ArrayList<>(r.errors());
        all.addAll(StreamJobValidator.validate(r.manifest()));
        return all;
    }

    @Test
    void shouldAcceptAValidPipeline() {
        StreamJobReader.Result r = StreamJobReader.read(job("valid.yaml"));
        assertThat(r.errors()).isEmpty();
        assertThat(StreamJobValidator.validate(r.manifest())).isEmpty();
    }

    @Test
    void shouldReportEveryProblemWithItsPath() {
        StreamJobReader.Result r = StreamJobReader.read(job("broken.yaml"));
        List<FieldError> errors = new java.util.ArrayList<>(r.errors());
        errors.addAll(StreamJobValidator.validate(r.manifest()));
        List<String> paths = errors.stream().map(FieldError::path).toList();

        assertThat(paths).contains(
                "metadata.name",
                "spec.parallelism.threads",                  // CEL rule: min <= max
                "spec.autoscaling.mode",                     // unknown enum value
                "spec.autoscaling.targetUtilization",        // outside the band
                "spec.pipeline[0].source.generator.keys",    // @Min(1)
                "spec.pipeline[0].source.generator.rate.peak",
                "spec.pipeline[0].source.generator.rate.stepAt",
                "spec.pipeline[1].map.set.doubled",          // unknown field valeu
                "spec.pipeline[3].window.colour",            // unknown field
                "spec.pipeline[3].window.size",              // must be > 0
                "spec.pipeline[3].window.keyBy",             // no field 'user' in these records
                "spec.pipeline[3].window.aggregate.field",
                "spec.pipeline[4].name");                    // duplicate
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("spec.pipeline[1].map.set.doubled");
            assertThat(e.message()).contains("valeu");
        });
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("spec.pipeline[3].window.size");
            assertThat(e.message()).isEqualTo("must be > 0");
        });
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("spec.autoscaling.mode");
            assertThat(e.message()).contains("Off", "Recommend", "Auto");
        });
    }

    @Test
    void shouldRejectAStageThatReadsALaterOne() {
        List<FieldError> e = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: src, source: {generator: {}}}
                    - {name: f, from: [out], filter: {expression: "value > 1"}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::toString)
                .anyMatch(s -> s.startsWith("spec.pipeline[1].from[0]: 'out' comes later"));
    }

    @Test
    void shouldRequireExactlyOneKindPerStage() {
        List<FieldError> e = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: src, source: {generator: {}}, filter: {expression: "true"}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::toString)
                .contains("spec.pipeline[0]: set exactly one of source, map, filter, window, join and sink");
    }

    @Test
    void shouldTypeCheckFilterExpressions() {
        List<FieldError> e = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: src, source: {generator: {}}}
                    - {name: f, filter: {expression: "value + 1"}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::path).containsExactly("spec.pipeline[1].filter.expression");
    }

    @Test
    void shouldRequireAPositiveIdleTimeout() {
        String job = """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: src, source: {file: {path: in.jsonl, format: jsonl}, watermark: {timestampField: time, idleTimeout: %s}}}
                    - {name: w, window: {keyBy: user, size: 10s, aggregate: {function: count}}}
                    - {name: out, sink: {file: {path: out.jsonl}}}
                """;
        assertThat(errorsOf(job.formatted("30s"))).isEmpty();
        assertThat(errorsOf(job.formatted("0s"))).extracting(FieldError::path)
                .containsExactly("spec.pipeline[0].source.watermark.idleTimeout");
        assertThat(errorsOf(job.formatted("soon"))).extracting(FieldError::path)
                .containsExactly("spec.pipeline[0].source.watermark.idleTimeout");
    }

    @Test
    void shouldAcceptAnyFieldOfAFileSource() {
        List<FieldError> e = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: src, source: {file: {path: in.jsonl, format: jsonl}, watermark: {timestampField: time}}}
                    - {name: f, filter: {expression: "region == 'eu'"}}
                    - {name: w, window: {keyBy: user, size: 10s, aggregate: {function: avg, field: amount}}}
                    - {name: out, sink: {file: {path: out.jsonl}}}
                """);
        assertThat(e).isEmpty();
    }

    @Test
    void shouldRequireAJoinsInputsToExist() {
        List<FieldError> e = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: a, source: {generator: {}}}
                    - {name: b, source: {generator: {seed: 2}}}
                    - {name: j, join: {left: a, right: c, leftKey: key, rightKey: key, size: 1s}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::path).contains("spec.pipeline[2].join.right", "spec.pipeline[1]");
    }

    private static List<String> errorsOfStages(String... stages) {
        StringBuilder y = new StringBuilder("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: j}
                spec:
                  pipeline:
                    - {name: a, source: {generator: {}}}
                    - {name: b, source: {generator: {seed: 2}}}
                """);
        for (String st : stages) {
            y.append("    - ").append(st).append('\n');
        }
        return errorsOf(y.toString()).stream().map(FieldError::toString).toList();
    }

    @Test
    void shouldAcceptBandAndThetaJoinsAndMultiKeyWindows() {
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, band: {left: value, right: value, width: 2.5}, within: 1s}}",
                "{name: t, from: [a], filter: {expression: \"left.key > 1\"}}".replace("from: [a]", "from: [j]"),
                "{name: out, sink: {stdout: {}}}")).isEmpty();
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, predicate: \"left.value < right.value && left.key != right.key\", within: 500ms}}",
                "{name: out, sink: {stdout: {}}}")).isEmpty();
        assertThat(errorsOfStages(
                "{name: m, from: [a], map: {set: {cells: \"[key % 10, key % 3]\"}}}",
                "{name: w, window: {keyByEach: cells, size: 1s, aggregate: {function: count}}}",
                "{name: f, filter: {expression: \"count > 3 && cells >= 0\"}}",
                "{name: out, sink: {stdout: {}}}",
                "{name: out2, from: [b], sink: {stdout: {}}}")).isEmpty();
    }

    @Test
    void shouldReportEveryMistakeOfABandOrThetaJoinWithItsPath() {
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, band: {left: valeu, right: value}, size: 1s}}",
                "{name: out, sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.within: required for a band join"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.band.left: unknown field 'valeu'"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.band.width: required"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.size: a band join has no keys or windows"));
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, predicate: \"left.value < right.colour\", within: 1s}}",
                "{name: out, sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.predicate: 'right.colour': unknown field 'colour'"));
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, predicate: \"left.value +\", within: 1s}}",
                "{name: out, sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.predicate: "));
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, predicate: \"left.value\", band: {left: value, right: value, width: -1}, within: 1s}}",
                "{name: out, sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.predicate: set band or predicate, not both"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.band.width"));
        assertThat(errorsOfStages(
                "{name: j, join: {left: a, right: b, leftKey: key, rightKey: key, size: 1s, within: 1s}}",
                "{name: out, sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].join.within: applies to band and theta joins"));
    }

    @Test
    void shouldReportMultiKeyWindowMistakesWithTheirPath() {
        assertThat(errorsOfStages(
                "{name: w, from: [a], window: {keyBy: key, keyByEach: key, size: 1s, aggregate: {function: count}}}",
                "{name: out, sink: {stdout: {}}}", "{name: o2, from: [b], sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].window.keyByEach: set keyBy (one key per record) or keyByEach"));
        assertThat(errorsOfStages(
                "{name: w, from: [a], window: {keyByEach: tags, size: 1s, aggregate: {function: count}}}",
                "{name: out, sink: {stdout: {}}}", "{name: o2, from: [b], sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].window.keyByEach: unknown field 'tags'"));
        assertThat(errorsOfStages(
                "{name: w, from: [a], window: {size: 1s, aggregate: {function: count}}}",
                "{name: out, sink: {stdout: {}}}", "{name: o2, from: [b], sink: {stdout: {}}}"))
                .anyMatch(s -> s.startsWith("spec.pipeline[2].window.keyBy: required (or keyByEach"));
    }

    @Test
    void shouldParseGoStyleDurations() {
        assertThat(Durations.parse("1m30s").toMillis()).isEqualTo(90_000);
        assertThat(Durations.parse("500ms").toMillis()).isEqualTo(500);
        assertThat(Durations.parse("1.5s").toMillis()).isEqualTo(1500);
        assertThat(Durations.isValid("10")).isFalse();
    }

    @Test
    void shouldAcceptAKafkaPipeline() {
        assertThat(errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: totals}
                spec:
                  kafka: {bootstrapServers: "127.0.0.1:9092", secret: kafka-client}
                  pipeline:
                    - name: in
                      source:
                        kafka: {topics: [clicks], key: {format: raw, field: user}, value: {format: csv, columns: [user, amount, ts]},
                                deadLetterTopic: bad}
                        watermark: {timestampField: ts}
                    - {name: w, window: {keyBy: user, size: 1s, aggregate: {function: count}}}
                    - {name: out, sink: {kafka: {topic: totals, key: {format: raw, field: user}, delivery: ExactlyOnce}}}
                """)).isEmpty();
    }

    @Test
    void shouldNameEveryKafkaMistakeByItsPath() {
        List<FieldError> errors = errorsOf("""
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: totals}
                spec:
                  pipeline:
                    - name: in
                      source:
                        parallelism: 4
                        kafka: {topics: [clicks], value: {format: csv}, startFrom: middle}
                    - name: in2
                      source: {kafka: {topics: [other]}}
                    - {name: out, from: [in], sink: {kafka: {topic: a, key: {format: raw}}}}
                    - {name: out2, from: [in2], sink: {kafka: {topic: b}}}
                """);
        List<String> paths = errors.stream().map(FieldError::path).toList();

        assertThat(paths).contains(
                "spec.pipeline[0].source.parallelism",          // one split per partition
                "spec.pipeline[0].source.kafka.value.columns",  // csv needs columns
                "spec.pipeline[0].source.kafka.startFrom",      // earliest or latest
                "spec.pipeline[1].source.kafka",                // one Kafka source per job
                "spec.pipeline[2].sink.kafka.key.field",        // a raw key names its field
                "spec.pipeline[3].sink.kafka.delivery",         // one exactly-once sink
                "spec.kafka.bootstrapServers");
    }
}
