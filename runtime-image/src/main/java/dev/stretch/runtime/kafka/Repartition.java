package dev.stretch.runtime.kafka;

import dev.stretch.model.KafkaPartitioning;
import dev.stretch.model.StreamJobManifest;
import java.util.Optional;

/**
 * Where a job's records must cross pods: the window keyed by a field that is not how its Kafka input is
 * partitioned (see {@link KafkaPartitioning}). Its records go to an internal topic {@code <job>-<stage>-repartition}
 * keyed by that field, and the window reads them back from there, as Kafka Streams does (see {@link KafkaJob}).
 */
public record Repartition(int stageIndex, String stage, String keyField, String topic) {
    /** The topic a stage's records are repartitioned through. */
    public static String topicName(String job, String stage) {
        return job + "-" + stage + "-repartition";
    }

    /**
     * The repartition {@code manifest} needs, if any.
     *
     * @throws IllegalArgumentException naming the stage when a keyed stage's records cannot be brought together (the
     *     validator reports the same, so a validated job does not get here)
     */
    public static Optional<Repartition> plan(StreamJobManifest manifest) {
        KafkaPartitioning.Result r = KafkaPartitioning.analyse(manifest.getSpec().getPipeline());
        if (!r.errors().isEmpty()) {
            throw new IllegalArgumentException(r.errors().get(0).toString());
        }
        return r.repartition().map(p -> new Repartition(p.stageIndex(), p.stage(), p.keyField(),
                topicName(manifest.name(), p.stage())));
    }
}
