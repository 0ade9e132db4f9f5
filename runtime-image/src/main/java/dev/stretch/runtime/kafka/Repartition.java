package dev.stretch.runtime.kafka;

import dev.stretch.model.KafkaFormat;
import dev.stretch.model.KafkaFormatSpec;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.model.WindowStageSpec;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's records must cross pods: the keyed stage whose key is not how its Kafka input is partitioned.
 *
 * <p>Pods divide a Kafka input by partition, so a keyed stage sees all records of a key in one pod only when
 * the key decides the partition: the topic's key (a {@code raw} key format names it as one field) and nothing
 * a map stage has overwritten. A window keyed by any other field repartitions, as Kafka Streams does: the
 * records go to an internal topic {@code <job>-<stage>-repartition} keyed by that field, and the window reads
 * them back from there (see {@link KafkaJob}). One repartition per job is supported; a keyed stage that would
 * need a second one, a window keyed by each element of a list ({@code keyByEach}) or a join of a Kafka input on
 * a field that is not its partitioning is refused with the stage named, rather than giving each pod a part of
 * every key's records.
 */
public record Repartition(int stageIndex, String stage, String keyField, String topic) {
    /** The topic a stage's records are repartitioned through. */
    public static String topicName(String job, String stage) {
        return job + "-" + stage + "-repartition";
    }

    /**
     * The repartition {@code manifest} needs, if any.
     *
     * @throws IllegalArgumentException naming the stage when a keyed stage's records cannot be brought together
     */
    public static Optional<Repartition> plan(StreamJobManifest manifest) {
        List<PipelineStage> stages = manifest.getSpec().getPipeline();
        if (stages == null) {
            return Optional.empty();
        }
        List<String> names = StreamJobValidator.stageNames(stages);
        List<List<Integer>> inputs = StreamJobValidator.inputsOf(stages);
        boolean[] fromKafka = new boolean[stages.size()];
        String[] partitionedBy = new String[stages.size()]; // the field that decides the partition; null: unknown
        Repartition found = null;
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage st = stages.get(i);
            if (st == null) {
                continue;
            }
            List<Integer> in = inputs.get(i);
            String path = "spec.pipeline[" + i + "] (" + names.get(i) + ")";
            switch (StreamJobValidator.kindOf(st)) {
                case "source" -> {
                    if (st.getSource().getKafka() != null) {
                        fromKafka[i] = true;
                        KafkaFormatSpec k = st.getSource().getKafka().getKey();
                        if (k == null || k.getFormat() == null || k.getFormat() == KafkaFormat.RAW) {
                            partitionedBy[i] = k == null || k.getField() == null ? "key" : k.getField();
                        }
                    }
                }
                case "map", "filter" -> {
                    if (in.isEmpty()) {
                        continue;
                    }
                    fromKafka[i] = fromKafka[in.get(0)];
                    String p = partitionedBy[in.get(0)];
                    if (p != null && st.getMap() != null && ((st.getMap().getSet() != null && st.getMap().getSet().containsKey(p))
                            || (st.getMap().getDrop() != null && st.getMap().getDrop().contains(p)))) {
                        p = null; // the map changes the field the input is partitioned by
                    }
                    partitionedBy[i] = p;
                }
                case "window" -> {
                    if (in.isEmpty() || !fromKafka[in.get(0)]) {
                        continue;
                    }
                    fromKafka[i] = true;
                    WindowStageSpec w = st.getWindow();
                    if (w.getKeyByEach() != null) {
                        throw new IllegalArgumentException(path + ".window.keyByEach: a window keyed by each element of '"
                                + w.getKeyByEach() + "' cannot follow a Kafka source: its pods each read some partitions, so each"
                                + " would count a part of every key (only keyBy repartitions through an internal topic)");
                    }
                    String key = w.getKeyBy();
                    if (key != null && !key.equals(partitionedBy[in.get(0)])) {
                        if (found != null) {
                            throw new IllegalArgumentException(path + ".window.keyBy: '" + key + "' would need a second"
                                    + " repartition after the one of '" + found.stage() + "' (by '" + found.keyField()
                                    + "'); one repartition per job is supported: key the stages by the same field");
                        }
                        found = new Repartition(i, names.get(i), key, topicName(manifest.name(), names.get(i)));
                    }
                    partitionedBy[i] = key; // the results stay in the partition of their key
                }
                case "join" -> {
                    boolean kafka = in.stream().anyMatch(j -> fromKafka[j]);
                    if (!kafka) {
                        continue;
                    }
                    fromKafka[i] = true;
                    var j = st.getJoin();
                    boolean keyed = in.size() == 2 && j.getLeftKey() != null && j.getRightKey() != null
                            && j.getLeftKey().equals(partitionedBy[in.get(0)]) && j.getRightKey().equals(partitionedBy[in.get(1)]);
                    if (!keyed) {
                        throw new IllegalArgumentException(path + ".join: joins a Kafka input on something other than the"
                                + " field its partitions are keyed by; its pods each read some partitions, so matching records"
                                + " could be in different pods. Join inputs keyed (raw key format) by the join keys; a join is"
                                + " not repartitioned");
                    }
                    partitionedBy[i] = null;
                }
                default -> {
                    // sinks: nothing downstream
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
