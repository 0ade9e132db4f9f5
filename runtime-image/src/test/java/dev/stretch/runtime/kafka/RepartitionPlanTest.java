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
                    kafka: {topics: [clicks], key: {format: %s, field: user%s}}
                    watermark: {timestampField: ts}
            """;

    private static StreamJobManifest job(String keyFormat, String stages) {
        String yaml = """
                apiVersion: stretch.dev/v1alpha1
                kind: StreamJob
                metadata: {name: shop}
                spec:
                  kafka: {bootstrapServers: "127.0.0.1:9092"}
                  pipeline:
                """ + SOURCE.formatted(keyFormat, keyFormat.equals("csv") ? ", columns: [user]" : "") + stages;
        var r = StreamJobReader.read(yaml);
        assertThat(r.errors()).as("the test's job is valid").isEmpty();
        return r.manifest();
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
        assertThatThrownBy(() -> Repartition.plan(job("raw", """
                    - {name: per-shop, window: {keyBy: shop, size: 1s, aggregate: {function: count}}}
                    - {name: per-count, from: [per-shop], window: {keyBy: count, size: 1s, aggregate: {function: count}}}
                """ + SINK))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.pipeline[2] (per-count).window.keyBy")
                .hasMessageContaining("second repartition");
        assertThatThrownBy(() -> Repartition.plan(job("raw", """
                    - {name: per-tag, window: {keyByEach: tags, size: 1s, aggregate: {function: count}}}
                """ + SINK))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.pipeline[1] (per-tag).window.keyByEach");
    }

    @Test
    void shouldRefuseAJoinOfAKafkaInputOnAnotherField() {
        assertThatThrownBy(() -> Repartition.plan(job("raw", """
                    - name: views
                      source: {generator: {keys: 10}}
                    - {name: both, join: {left: clicks, right: views, leftKey: shop, rightKey: key, size: 1s}}
                """ + SINK))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.pipeline[2] (both).join");
    }

    /** A pod refuses such a job at start, with the stage named and no stack trace; nothing connects to Kafka. */
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
                """ + SOURCE.formatted("raw", "") + """
                    - {name: per-tag, window: {keyByEach: tags, size: 1s, aggregate: {function: count}}}
                """ + SINK;
        java.nio.file.Path job = java.nio.file.Files.writeString(dir.resolve("job.yaml"), yaml);
        var p = dev.stretch.runtime.cli.StretchProcess.start(dir, "pod", "--job", job.toString(), "--pods", "1",
                "--bind", "127.0.0.1", "--port", "0", "--token-file", dir.resolve("no-token").toString());
        assertThat(p.waitFor(java.time.Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(p.stderr()).contains("job 'tags' could not start: spec.pipeline[1] (per-tag).window.keyByEach")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
