package dev.stretch.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a job's Kafka input is partitioned at each stage, and so which keyed stage must repartition (runtime: the
 * internal topic {@code <job>-<stage>-repartition}) and which keyed stages no single repartition can serve.
 *
 * <p>Pods divide a Kafka input by partition, so a keyed stage sees all records of a key in one pod only when
 * the key decides the partition: the topic's key (a {@code raw} key format names it as one field) and nothing
 * a map stage has overwritten. A window keyed by any other field repartitions. One repartition per job; a keyed
 * stage that would need a second one, a window keyed by each element of a list ({@code keyByEach}) over a Kafka
 * input, and a join of a Kafka input on a field that is not its partitioning are errors (each pod would see a
 * part of every key's records).
 */
public final class KafkaPartitioning {
    private KafkaPartitioning() {
    }

    /** The keyed stage {@code stageIndex} reads its records back from a repartition topic keyed by {@code keyField}. */
    public record Repartition(int stageIndex, String stage, String keyField) {
    }

    /** What {@link #analyse} finds: the repartition (if any) and the stages no repartition can serve. */
    public record Result(Optional<Repartition> repartition, List<FieldError> errors) {
    }

    /** The repartition {@code stages} need, and the keyed stages that cannot be brought together. */
    public static Result analyse(List<PipelineStage> stages) {
        List<FieldError> errors = new ArrayList<>();
        if (stages == null) {
            return new Result(Optional.empty(), errors);
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
            String path = "spec.pipeline[" + i + "]";
            String stage = "'" + names.get(i) + "'";
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
                        errors.add(new FieldError(path + ".window.keyByEach", stage + " cannot key a Kafka input by each"
                                + " element of '" + w.getKeyByEach() + "': pods each read some partitions, so each would count"
                                + " a part of every key (only keyBy repartitions through an internal topic)"));
                        continue;
                    }
                    String key = w.getKeyBy();
                    if (key != null && !key.equals(partitionedBy[in.get(0)])) {
                        if (found != null) {
                            errors.add(new FieldError(path + ".window.keyBy", stage + " keyed by '" + key + "' would need a"
                                    + " second repartition after the one of '" + found.stage() + "' (by '" + found.keyField()
                                    + "'); one repartition per job is supported: key the stages by the same field"));
                            continue;
                        }
                        found = new Repartition(i, names.get(i), key);
                    }
                    partitionedBy[i] = key; // the results stay in the partition of their key
                }
                case "join" -> {
                    boolean kafka = in.stream().anyMatch(j -> fromKafka[j]);
                    if (!kafka) {
                        continue;
                    }
                    fromKafka[i] = true;
                    JoinSpec j = st.getJoin();
                    boolean keyed = in.size() == 2 && j.getLeftKey() != null && j.getRightKey() != null
                            && j.getLeftKey().equals(partitionedBy[in.get(0)]) && j.getRightKey().equals(partitionedBy[in.get(1)]);
                    if (!keyed) {
                        errors.add(new FieldError(path + ".join", stage + " joins a Kafka input on something other than the"
                                + " field its partitions are keyed by; pods each read some partitions, so matching records"
                                + " could be in different pods. Join inputs keyed (raw key format) by the join keys; a join is"
                                + " not repartitioned"));
                    }
                    partitionedBy[i] = null;
                }
                default -> {
                    // sinks: nothing downstream
                }
            }
        }
        return new Result(Optional.ofNullable(found), errors);
    }
}
