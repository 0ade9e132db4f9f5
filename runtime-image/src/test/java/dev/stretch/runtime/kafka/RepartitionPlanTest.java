package dev.stretch.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which keyed stage of a Kafka job repartitions, and which jobs are refused because their pods would each see a
 * part of every key: a keyed stage's records are together in one pod only when its key is what the input's
 * partitions are keyed by.
 */
class RepartitionPlanTest {
    private static final String SOURCE = """
                - name: clicks
                  source:
                    kafka: {topics: [clicks], key: {format: %s%s}}
                    watermark: {timestampField: ts}
            """;

    private static StreamJobManifest job(String keyFormat, String stages) {
        var r = read(keyFormat, stages);
        assertThat(r.allErrors()).as("the test's job is valid").isEmpty();
        return r.manifest();
    }

    private static StreamJobReader.Result read(String keyFormat, String stages) {
        String yaml = """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: shop}
                spec:
                  kafka: {bootstrapServers: "127.0.0.1:9092"}
                  pipeline:
                """ + SOURCE.formatted(keyFormat, keyFormat.equals("csv") ? ", columns: [user]" : ", field: user") + stages;
        return StreamJobReader.read(yaml);
    }

    /** The validator refuses the job (so {@code stretch validate} and the operator say so), and so does a pod. */
    private static void assertRefused(String stages, String path, String message) {
        var r = read("raw", stages);
        assertThat(r.allErrors()).as("validation errors").anySatisfy(e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.message()).contains(message);
        });
        assertThatThrownBy(() -> Repartition.plan(r.manifest())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(path + ": ").hasMessageContaining(message);
    }

    private static final String SINK = "    - {name: out, sink: {kafka: {topic: out}}}\n";

    @Test
    void shouldRepartitionAWindowKeyedByAFieldThatIsNotTheTopicsKey() {
        Optional<Repartition> r = Repartition.plan(job("raw", """
                    - {name: per-shop, window: {keyBy: shop, size: 1s, aggregate: {function: count}}}
                """ + SINK));
        assertThat(r).contains(new Repartition(1, "per-shop", "shop", "shop-per-shop-repartition"));
    }

    @Test
    void shouldNotRepartitionAWindowKeyedByTheTopicsKey() {
        assertThat(Repartition.plan(job("raw", """
                    - {name: keep, filter: {expression: "amount > 0"}}
                    - {name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: count}}}
                    - {name: again, window: {keyBy: user, size: 10s, aggregate: {function: count}}}
                """ + SINK))).isEmpty();
    }

    @Test
    void shouldRepartitionWhenAMapOverwritesTheKeyOrTheKeyIsNotOneRawField() {
        assertThat(Repartition.plan(job("raw", """
                    - {name: rename, map: {set: {user: "shop"}}}
                    - {name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: count}}}
                """ + SINK))).map(Repartition::stage).contains("per-user");
        assertThat(Repartition.plan(job("csv", """
                    - {name: per-user, window: {keyBy: user, size: 1s, aggregate: {function: count}}}
                """ + SINK))).map(Repartition::stage).contains("per-user");
    }

    @Test
    void shouldRefuseWhatOneRepartitionCannotBringTogether() {
        assertRefused("""
                    - {name: per-shop, window: {keyBy: shop, size: 1s, aggregate: {function: count}}}
                    - {name: per-count, from: [per-shop], window: {keyBy: count, size: 1s, aggregate: {function: count}}}
                """ + SINK, "spec.pipeline[2].window.keyBy", "'per-count' keyed by 'count' would need a second repartition");
        assertRefused("""
                    - {name: per-tag, window: {keyByEach: tags, size: 1s, aggregate: {function: count}}}
                """ + SINK, "spec.pipeline[1].window.keyByEach", "'per-tag' cannot key a Kafka input by each element");
    }

    @Test
    void shouldRefuseAJoinOfAKafkaInputOnAnotherField() {
        assertRefused("""
                    - name: views
                      source: {generator: {keys: 10}}
                    - {name: both, join: {left: clicks, right: views, leftKey: shop, rightKey: key, size: 1s}}
                """ + SINK, "spec.pipeline[2].join", "'both' joins a Kafka input on something other than");
    }

    /** A pod refuses such a job at start, with the field named and no stack trace; nothing connects to Kafka. */
    @Test
    void shouldRefuseToRunSuchAJobInAPodWithTheStageNamed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String yaml = """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: tags}
                spec:
                  kafka: {bootstrapServers: "127.0.0.1:9"}
                  pipeline:
                """ + SOURCE.formatted("raw", ", field: user") + """
                    - {name: per-tag, window: {keyByEach: tags, size: 1s, aggregate: {function: count}}}
                """ + SINK;
        java.nio.file.Path job = java.nio.file.Files.writeString(dir.resolve("job.yaml"), yaml);
        var p = dev.stretch.runtime.cli.StretchProcess.start(dir, "pod", "--job", job.toString(), "--pods", "1",
                "--bind", "127.0.0.1", "--port", "0", "--token-file", dir.resolve("no-token").toString());
        assertThat(p.waitFor(java.time.Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(p.stderr()).contains("spec.pipeline[1].window.keyByEach").contains("'per-tag' cannot key a Kafka input")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
