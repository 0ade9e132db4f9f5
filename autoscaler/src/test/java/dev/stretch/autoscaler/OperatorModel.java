package dev.stretch.autoscaler;

import java.util.List;

/**
 * A fluid model of one operator, used to replay a {@link Trace} in a closed loop: given the offered input and
 * the instance count, what the operator processes, how busy its instances are and how its backlog evolves.
 *
 * <p>With {@code n} instances of capacity {@code c} tuples/s and a hot share {@code h} of the input on one key
 * group, the hottest instance gets {@code max(h, 1/n)} of the tuples, so the operator processes at most
 * {@code c / max(h, 1/n)} tuples/s; the busy ratio is the processed rate over {@code n * c}, averaged over
 * instances (so it hides the saturated hot instance, as a real average does).
 */
final class OperatorModel {

    private int instances;
    private double backlog;

    OperatorModel(int instances) {
        this.instances = instances;
    }

    int instances() {
        return instances;
    }

    void setInstances(int instances) {
        this.instances = instances;
    }

    double backlog() {
        return backlog;
    }

    /** Advances the model by {@code dt} seconds of {@code row}'s load and returns what it would report. */
    OperatorSample advance(Trace.Row row, double dt) {
        double capacity = row.capacityPerInstance() / Math.max(row.hotShare(), 1.0 / instances);
        double offered = row.inputRate() + backlog / dt;
        double processed = Math.min(offered, capacity);
        backlog = Math.max(0, backlog + (row.inputRate() - processed) * dt);
        double busy = processed / (instances * row.capacityPerInstance());
        double lagMillis = row.inputRate() > 0 ? backlog / row.inputRate() * 1000 : 0;
        double[] v = {row.inputRate(), processed, busy, backlog, lagMillis};
        List<String> names = OperatorSample.METRIC_NAMES;
        for (int i = 0; i < v.length; i++) {
            if (row.missing().contains(names.get(i))) {
                v[i] = Double.NaN;
            }
        }
        return new OperatorSample(row.operator(), instances, row.minInstances(), row.maxInstances(), v[0], v[1],
                v[2], v[3], v[4]);
    }
}
