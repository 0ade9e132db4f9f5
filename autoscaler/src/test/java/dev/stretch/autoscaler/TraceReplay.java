package dev.stretch.autoscaler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a {@link Trace} through a {@link JobAutoscaler} in a closed loop, one sample per trace second on a
 * {@link ManualClock}: each second the operator models produce a sample with their current instance counts, the
 * autoscaler observes and evaluates it, and applied targets take effect from the next second.
 */
final class TraceReplay {

    /** One second of the replay: instance counts during the second that ended here, and the report made then. */
    record Tick(long second, Map<String, Integer> instances, Map<String, Double> backlog, ScalingReport report) {
        ScalingDecision decision(String op) {
            return report.decision(op).orElseThrow();
        }
    }

    /** A change of an operator's instance count, decided at {@code second}. */
    record Change(long second, int from, int to) {
    }

    record Result(List<Tick> ticks) {

        List<Change> changes(String op) {
            List<Change> out = new ArrayList<>();
            for (Tick t : ticks) {
                if (t.report().shouldApply() && t.report().targets().containsKey(op)) {
                    out.add(new Change(t.second(), t.instances().get(op), t.report().targets().get(op)));
                }
            }
            return out;
        }

        /** Instance count in effect during the second after {@code second} (after that second's decision). */
        int instancesAfter(String op, long second) {
            int n = ticks.get(0).instances().get(op);
            for (Tick t : ticks) {
                if (t.second() > second) {
                    break;
                }
                n = t.instances().getOrDefault(op, n);
                if (t.report().shouldApply() && t.report().targets().containsKey(op)) {
                    n = t.report().targets().get(op);
                }
            }
            return n;
        }

        List<Tick> between(long fromSecond, long toSecondExclusive) {
            return ticks.stream().filter(t -> t.second() >= fromSecond && t.second() < toSecondExclusive).toList();
        }

        Tick at(long second) {
            return ticks.stream().filter(t -> t.second() == second).findFirst().orElseThrow();
        }
    }

    static Result run(Trace trace, AutoscalerConfig config) {
        ManualClock clock = new ManualClock();
        JobAutoscaler autoscaler = new JobAutoscaler(config, clock);
        Map<String, OperatorModel> models = new LinkedHashMap<>();
        trace.initial().forEach((op, n) -> models.put(op, new OperatorModel(n)));
        List<Tick> ticks = new ArrayList<>();
        long previous = -1;
        for (Map.Entry<Long, List<Trace.Row>> e : trace.rowsBySecond().entrySet()) {
            long second = e.getKey();
            double dt = previous < 0 ? 1 : second - previous;
            previous = second;
            clock.set(ManualClock.at(second));
            List<OperatorSample> samples = new ArrayList<>();
            Map<String, Integer> instances = new LinkedHashMap<>();
            Map<String, Double> backlog = new LinkedHashMap<>();
            for (Trace.Row row : e.getValue()) {
                OperatorModel model = models.get(row.operator());
                if (model == null) {
                    throw new IllegalArgumentException(trace.name() + ": no initial count for " + row.operator());
                }
                OperatorSample s = model.advance(row, dt);
                instances.put(row.operator(), model.instances());
                backlog.put(row.operator(), model.backlog());
                if (!row.absent()) {
                    samples.add(s);
                }
            }
            autoscaler.observe(new MetricSample(clock.instant(), samples));
            ScalingReport report = autoscaler.evaluate();
            ticks.add(new Tick(second, instances, backlog, report));
            if (report.shouldApply()) {
                report.targets().forEach((op, n) -> models.get(op).setInstances(n));
            }
        }
        return new Result(ticks);
    }
}
