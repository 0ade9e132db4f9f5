package dev.stretch.autoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent samples of one operator and their evaluation over the metric window. Samples taken with a different
 * instance count are not comparable (the busy ratio changes with it), so a change of instances restarts the
 * window. Not thread-safe: owned by one {@link JobAutoscaler}.
 */
final class MetricWindow {

    /** The outcome of evaluating a window. */
    sealed interface Evaluation permits Complete, Missing, Incomplete {
    }

    /** Every sample in the window was complete, and the window is full. */
    record Complete(EvaluatedMetrics metrics) implements Evaluation {
    }

    /** Some sample in the window lacks metrics, or there is no sample in the window at all. */
    record Missing(String reason) implements Evaluation {
    }

    /** The operator has not yet been observed with its current instance count for a whole window. */
    record Incomplete(Instant observedSince, Instant fullAt) implements Evaluation {
    }

    /** A sample, or an absence of the operator from a job sample ({@code sample == null}). */
    private record Entry(Instant at, OperatorSample sample) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private OperatorSample lastSeen;
    private Instant observedSince;

    /**
     * Adds a sample.
     *
     * @return whether its instance count differs from the previous sample's, which restarts the window
     */
    boolean add(Instant at, OperatorSample sample, Duration window) {
        boolean changed = lastSeen != null && lastSeen.instances() != sample.instances();
        if (changed || observedSince == null) {
            entries.clear();
            observedSince = at;
        }
        lastSeen = sample;
        append(new Entry(at, sample), window);
        return changed;
    }

    /** Records that a job sample at {@code at} did not include this operator. */
    void addAbsence(Instant at, Duration window) {
        append(new Entry(at, null), window);
    }

    private void append(Entry e, Duration window) {
        entries.addLast(e);
        Instant keepFrom = e.at().minus(window);
        while (entries.peekFirst().at().isBefore(keepFrom)) {
            entries.removeFirst();
        }
    }

    /** The most recent sample that included this operator. */
    OperatorSample lastSeen() {
        return lastSeen;
    }

    /** Whether the most recent job sample included this operator. */
    boolean presentInLatest() {
        return !entries.isEmpty() && entries.peekLast().sample() != null;
    }

    Evaluation evaluate(Instant now, Duration window, int growthSamples) {
        Instant from = now.minus(window);
        List<Entry> in = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.at().isBefore(from)) {
                in.add(e);
            }
        }
        if (in.isEmpty()) {
            return new Missing("no sample since " + from);
        }
        for (int i = in.size() - 1; i >= 0; i--) {
            Entry e = in.get(i);
            if (e.sample() == null) {
                return new Missing("operator absent from the sample at " + e.at());
            }
            List<String> missing = e.sample().missingMetrics();
            if (!missing.isEmpty()) {
                return new Missing(String.join(", ", missing) + " missing in the sample at " + e.at());
            }
        }
        if (observedSince.isAfter(from)) {
            return new Incomplete(observedSince, observedSince.plus(window));
        }
        return new Complete(summarise(in, growthSamples));
    }

    private static EvaluatedMetrics summarise(List<Entry> in, int growthSamples) {
        double input = 0;
        double processed = 0;
        double busy = 0;
        double backpressure = 0;
        for (Entry e : in) {
            input += e.sample().inputRate();
            processed += e.sample().processedRate();
            busy += Math.min(1.0, e.sample().busyRatio());
            backpressure += e.sample().inputBackpressure();
        }
        int n = in.size();
        input /= n;
        processed /= n;
        busy /= n;
        backpressure /= n;
        OperatorSample last = in.get(n - 1).sample();
        int instances = last.instances();
        double trueRate = busy < EvaluatedMetrics.IDLE_BUSY_RATIO ? Double.NaN : processed / instances / busy;
        Duration span = Duration.between(in.get(0).at(), in.get(n - 1).at());
        return new EvaluatedMetrics(instances, n, span, input, last.inputRate(), processed, busy, trueRate,
                last.backlog(), last.eventTimeLagMillis(), growing(in, growthSamples), backpressure);
    }

    /** Backlog or lag rose strictly across the last {@code k} samples. */
    private static boolean growing(List<Entry> in, int k) {
        if (in.size() < k) {
            return false;
        }
        boolean backlog = true;
        boolean lag = true;
        for (int i = in.size() - k + 1; i < in.size(); i++) {
            OperatorSample prev = in.get(i - 1).sample();
            OperatorSample cur = in.get(i).sample();
            backlog &= cur.backlog() > prev.backlog();
            lag &= cur.eventTimeLagMillis() > prev.eventTimeLagMillis();
        }
        return backlog || lag;
    }
}
