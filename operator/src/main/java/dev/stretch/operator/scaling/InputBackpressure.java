package dev.stretch.operator.scaling;

import dev.stretch.model.PipelineStage;
import dev.stretch.model.StreamJobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much a keyed operator holds back the operators that write into its input: the DS2 signal that more is
 * offered to it than it processes, which its busy ratio and its (bounded) backlog can both hide.
 *
 * <p>The writers of an operator come from the job's pipeline: the stage it reads ({@code from}, else the stage
 * before it; a join's {@code left} and {@code right}), followed up through map and filter stages, which run
 * chained inside the stage before them and so block with it. A job given as an application class has no pipeline
 * in its spec; its sources are then taken as the writers (exact for a source feeding one keyed stage).
 *
 * <p>The back-pressure a keyed operator {@code k} causes is {@code max over writers w of bp(w) - bp(k)}, never
 * below 0, where {@code bp} is the fraction of an operator's time spent waiting for room downstream: a writer held
 * back while {@code k} itself waits as long on its own output is held back by something further downstream, which
 * more threads of {@code k} would not cure.
 */
final class InputBackpressure {
    private final Map<String, Set<String>> writers;

    private InputBackpressure(Map<String, Set<String>> writers) {
        this.writers = writers;
    }

    /** The writers of every stage of the job's pipeline (none for an application job). */
    static InputBackpressure of(StreamJobSpec spec) {
        List<PipelineStage> stages = spec == null || spec.getPipeline() == null ? List.of() : spec.getPipeline();
        Map<String, PipelineStage> byName = new HashMap<>();
        Map<String, List<String>> inputs = new HashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage s = stages.get(i);
            if (s.getName() == null) {
                continue;
            }
            byName.put(s.getName(), s);
            List<String> in = new ArrayList<>();
            if (s.getJoin() != null) {
                in.add(s.getJoin().getLeft());
                in.add(s.getJoin().getRight());
            } else if (s.getFrom() != null && !s.getFrom().isEmpty()) {
                in.addAll(s.getFrom());
            } else if (s.getSource() == null && i > 0) {
                in.add(stages.get(i - 1).getName());
            }
            inputs.put(s.getName(), in);
        }
        Map<String, Set<String>> writers = new HashMap<>();
        for (String name : byName.keySet()) {
            Set<String> w = new LinkedHashSet<>();
            for (String in : inputs.get(name)) {
                resolve(in, byName, inputs, w, new HashSet<>());
            }
            writers.put(name, w);
        }
        return new InputBackpressure(writers);
    }

    /** The stage that runs {@code name}: itself, or for a map or filter the stage it is chained into. */
    private static void resolve(String name, Map<String, PipelineStage> byName, Map<String, List<String>> inputs,
            Set<String> out, Set<String> seen) {
        PipelineStage s = byName.get(name);
        if (s == null || !seen.add(name)) {
            return;
        }
        if (s.getMap() != null || s.getFilter() != null) {
            for (String in : inputs.get(name)) {
                resolve(in, byName, inputs, out, seen);
            }
        } else {
            out.add(name);
        }
    }

    /**
     * The back-pressure keyed operator {@code operator} causes in one pod.
     *
     * @param pod the pod's operators and how long they waited for room downstream
     * @return a fraction in [0, 1]; 0 when nothing is known
     */
    double of(String operator, Map<String, CollectedMetrics.Pressure> pod) {
        Set<String> w = writers.get(operator);
        if (w == null || w.isEmpty() || w.stream().noneMatch(pod::containsKey)) {
            w = new LinkedHashSet<>();
            for (Map.Entry<String, CollectedMetrics.Pressure> e : pod.entrySet()) {
                if ("source".equals(e.getValue().kind()) && !e.getKey().equals(operator)) {
                    w.add(e.getKey());
                }
            }
        }
        double held = 0;
        for (String writer : w) {
            CollectedMetrics.Pressure bp = pod.get(writer);
            if (bp != null && Double.isFinite(bp.fraction())) {
                held = Math.max(held, bp.fraction());
            }
        }
        CollectedMetrics.Pressure own = pod.get(operator);
        double ownBp = own == null || !Double.isFinite(own.fraction()) ? 0 : own.fraction();
        return Math.max(0, Math.min(1, held - ownBp));
    }
}
