package dev.stretch.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Structural mistakes in a job document: each one gets an error at its own path, in the document's words
 * (no Java class, no binding library), and none hides the others or the validator's errors.
 */
class StreamJobReaderTest {
    private static final String HEADER = """
            apiVersion: stretch.dev/v1alpha1
            kind: StreamJob
            metadata: {name: j}
            """;

    private static List<FieldError> errorsOf(String yaml) {
        return StreamJobReader.read(yaml).allErrors();
    }

    private static void assertUserWords(List<FieldError> errors) {
        assertThat(errors).allSatisfy(e -> {
            assertThat(e.path()).isNotEqualTo("(document)");
            assertThat(e.message()).doesNotContain("java.", "Cannot deserialize", "jackson", "Exception", "dev.stretch",
                    "Integer", "Long", "Double", "Boolean", "`");
        });
    }

    @Test
    void shouldReportANullStageAndAStageThatIsAListAtTheirPaths() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  pipeline:
                    - null
                    - []
                    - {name: src, source: {generator: {}}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::toString).contains(
                "spec.pipeline[0]: an empty list item; expected a stage (a mapping with one of source, map, filter, window, join, sink)",
                "spec.pipeline[1]: expected a stage (a mapping with one of source, map, filter, window, join, sink), found an empty list");
        assertUserWords(e);
    }

    @Test
    void shouldNotThrowOnAPipelineOfOneNull() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  pipeline: [null]
                """);
        assertThat(e).extracting(FieldError::path).contains("spec.pipeline[0]", "spec.pipeline");
    }

    @Test
    void shouldReportEveryScalarWhereAMappingIsExpectedAndKeepGoing() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  parallelism: {threads: 0}
                  autoscaling: {mode: ''}
                  engine: {errorPolicy: Ignore, deadLetter: ''}
                  pipeline:
                    - {name: src, source: {generator: {keys: 9223372036854775808}}}
                    - {name: counts, window: {keyBy: key, size: 1s, aggregate: '1h1h'}}
                    - {name: out, sink: {file: 0}}
                """);
        assertThat(e).extracting(FieldError::toString).contains(
                "spec.parallelism.threads: expected a mapping with min, max, initial, found the number 0",
                "spec.autoscaling.mode: an empty string is not one of [Off, Recommend, Auto]",
                "spec.engine.errorPolicy: 'Ignore' is not one of [Fail, DeadLetter]",
                "spec.engine.deadLetter: expected a mapping with stdout, file, kafka, found an empty string",
                "spec.pipeline[0].source.generator.keys: 9223372036854775808 is out of range; expected a whole number between -2147483648 and 2147483647",
                "spec.pipeline[1].window.aggregate: expected a mapping with function, field, as, found '1h1h'",
                "spec.pipeline[2].sink.file: expected a mapping with path, format, found the number 0");
        assertUserWords(e);
    }

    @Test
    void shouldReportNumbersOutOfRangeAndWrongTypes() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  parallelism: {threads: {min: 1e308, max: 2.5, initial: 'two'}}
                  suspend: maybe
                  pipeline:
                    - {name: src, source: {generator: {seed: 99999999999999999999, skew: [1]}}}
                    - {name: out, from: {a: b}, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::toString).contains(
                "spec.parallelism.threads.min: 1e308 is out of range; expected a whole number between -2147483648 and 2147483647",
                "spec.parallelism.threads.max: 2.5 is not a whole number",
                "spec.parallelism.threads.initial: 'two' is not a whole number",
                "spec.suspend: expected true or false, found 'maybe'",
                "spec.pipeline[0].source.generator.seed: 99999999999999999999 is out of range; expected a whole number between -9223372036854775808 and 9223372036854775807",
                "spec.pipeline[0].source.generator.skew: expected a number, found a list",
                "spec.pipeline[1].from: expected a list of a string, found a mapping");
        assertUserWords(e);
    }

    @Test
    void shouldStillReportTheValidatorsErrorsElsewhereInTheFile() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  parallelism: {threads: 0}
                  pipeline:
                    - {name: src, source: {generator: {}}}
                    - {name: counts, window: {keyBy: user, size: 0s, aggregate: '1h1h'}}
                    - {name: out, sink: {stdout: {}}}
                """);
        assertThat(e).extracting(FieldError::toString).contains(
                "spec.pipeline[1].window.size: must be > 0");
        assertThat(e).extracting(FieldError::path).contains("spec.pipeline[1].window.keyBy", "spec.parallelism.threads",
                "spec.pipeline[1].window.aggregate");
        // the reader's error at window.aggregate is not repeated as "required" by the validator
        assertThat(e).filteredOn(x -> x.path().equals("spec.pipeline[1].window.aggregate")).hasSize(1);
    }

    @Test
    void shouldSuggestTheFieldMeant() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  pipeline:
                    - {name: src, source: {generator: {}}}
                    - {name: out, snik: {stdout: {}}}
                """);
        assertThat(e).anySatisfy(x -> {
            assertThat(x.path()).isEqualTo("spec.pipeline[1].snik");
            assertThat(x.message()).startsWith("unknown field; did you mean 'sink'?");
        });
    }

    @Test
    void shouldTakeAnEmptyConnectorAsItsDefaults() {
        List<FieldError> e = errorsOf(HEADER + """
                spec:
                  pipeline:
                    - name: src
                      source:
                        generator:
                    - name: out
                      sink:
                        stdout:
                """);
        assertThat(e).isEmpty();
    }

    @Test
    void shouldGiveTheLineOfASyntaxErrorAndOfADuplicateField() {
        StreamJobReader.Result r = StreamJobReader.read(HEADER + "spec:\n  pipeline: [\n");
        assertThat(r.errors()).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("(document)");
            assertThat(x.message()).startsWith("line ").contains("not valid YAML").doesNotContain("Exception", "reader");
        });
        StreamJobReader.Result d = StreamJobReader.read(HEADER + "spec: {}\nspec: {}\n");
        assertThat(d.errors()).singleElement().satisfies(x ->
                assertThat(x.message()).startsWith("line 5").contains("the field 'spec' appears twice"));
    }

    @Test
    void shouldSayWhatADocumentThatIsNotAMappingIs() {
        assertThat(StreamJobReader.read("- a\n- b\n").errors()).extracting(FieldError::toString).containsExactly(
                "(document): expected a StreamJob (a mapping with apiVersion, kind, metadata and spec), found a list");
        assertThat(StreamJobReader.read("").errors()).extracting(FieldError::toString)
                .containsExactly("(document): the document is empty");
    }
}
