package dev.stretch.operator.status;

import dev.stretch.model.Defaults;
import dev.stretch.model.FieldError;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.operator.JobObjects;
import dev.stretch.operator.PodCount;
import dev.stretch.operator.customresource.JobPhase;
import dev.stretch.operator.customresource.OperatorStatus;
import dev.stretch.operator.customresource.ScalingDecision;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.customresource.StreamJobStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Computes a job's status from what was observed — the job, its pods and their reports — and says which Events
 * to record. Pure: no Kubernetes calls, time passed in, the previous status left untouched. The reconciler
 * observes, calls one of the {@code assess*} methods and writes the outcome.
 *
 * <p>Events are recorded once per change, not once per reconcile: on a condition flip, on a new generation, or on
 * a new scaling decision.
 */
public final class StatusAssessment {
    static final int MAX_MESSAGE = 1024;
    /** Operator kinds whose thread count is the job's vertical scaling dimension (keyed, stateful, VSN). */
    static final Set<String> KEYED_KINDS = Set.of("window", "join");

    private StatusAssessment() {
    }

    /** The new status and the Events to record. */
    public record Outcome(StreamJobStatus status, List<JobEvent> events) {
    }

    /** The job is paused by annotation: only the pause is reported; the rest of the status stays as it was. */
    public static Outcome assessPaused(StreamJob job, Instant now) {
        StreamJobStatus s = copyOf(job.getStatus());
        List<JobEvent> events = new ArrayList<>();
        if (Conditions.set(s.getConditions(), Conditions.RECONCILIATION_PAUSED, true, "PausedByAnnotation",
                "the " + JobObjects.PAUSED_ANNOTATION + " annotation is \"true\": the operator changes nothing of this job",
                generation(job), now)) {
            events.add(JobEvent.normal("ReconciliationPaused", "reconciliation paused by the "
                    + JobObjects.PAUSED_ANNOTATION + " annotation; owned objects are left as they are"));
        }
        s.setPhase(JobPhase.PAUSED);
        return new Outcome(s, events);
    }

    /**
     * The spec passed the CRD schema but not the job validator: nothing is created or changed (pods from an earlier
     * valid spec keep running), Degraded says why, and one Warning Event per generation names every field.
     */
    public static Outcome assessInvalid(StreamJob job, List<FieldError> errors, List<PodObservation> pods, Instant now) {
        StreamJobStatus previous = job.getStatus();
        StreamJobStatus s = copyOf(previous);
        List<JobEvent> events = new ArrayList<>();
        long gen = generation(job);
        String message = truncate(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
        resumed(s, gen, now, events);
        boolean flipped = Conditions.set(s.getConditions(), Conditions.DEGRADED, true, "InvalidSpec", message, gen, now);
        boolean newGeneration = previous == null || !Objects.equals(previous.getObservedGeneration(), gen);
        if (flipped || newGeneration) {
            events.add(JobEvent.warning("InvalidSpec", message));
        }
        Conditions.set(s.getConditions(), Conditions.READY, false, "InvalidSpec",
                "the spec is invalid; see the Degraded condition", gen, now);
        Conditions.set(s.getConditions(), Conditions.SCALING, false, "InvalidSpec",
                "nothing changes until the spec is fixed", gen, now);
        int ready = (int) pods.stream().filter(PodObservation::ready).count();
        s.setReplicas(pods.size());
        s.setReadyReplicas(ready);
        s.setPods(ready + "/" + (s.getDesiredReplicas() == null ? 0 : s.getDesiredReplicas()));
        s.setSelector(JobObjects.selectorString(job));
        s.setError(message);
        s.setObservedGeneration(gen);
        s.setPhase(ready > 0 ? JobPhase.DEGRADED : JobPhase.FAILED);
        return new Outcome(s, events);
    }

    /**
     * Reconciling threw (API errors, conflicts). Degraded says so; an Event is recorded when Degraded flips and
     * when the retries are exhausted, not for every attempt.
     */
    public static Outcome assessReconcileError(StreamJob job, String error, boolean lastAttempt, Instant now) {
        StreamJobStatus s = copyOf(job.getStatus());
        List<JobEvent> events = new ArrayList<>();
        String message = truncate(error == null ? "unknown error" : error);
        boolean flipped = Conditions.set(s.getConditions(), Conditions.DEGRADED, true, "ReconcileError", message,
                generation(job), now);
        if (flipped || lastAttempt) {
            events.add(JobEvent.warning("ReconcileError", (lastAttempt ? "giving up retrying for now: " : "") + message));
        }
        s.setError(message);
        int ready = s.getReadyReplicas() == null ? 0 : s.getReadyReplicas();
        s.setPhase(ready > 0 ? JobPhase.DEGRADED : JobPhase.FAILED);
        return new Outcome(s, events);
    }

    /** The owned objects are reconciled; report the pods, their load, and any scaling decision. */
    public static Outcome assess(StreamJob job, List<PodObservation> pods, Rollout rollout, Instant now) {
        return assess(job, pods, rollout, null, now);
    }

    /**
     * As {@link #assess(StreamJob, List, Rollout, Instant)}, where the StatefulSet controller reported that it cannot
     * create pods ({@code podCreationFailure}, e.g. refused by admission or a quota; null when it did not): while
     * pods are missing, the job is Degraded with reason {@code PodCreationFailed} and that message.
     */
    public static Outcome assess(StreamJob job, List<PodObservation> pods, Rollout rollout, String podCreationFailure,
            Instant now) {
        StreamJobSpec spec = job.getSpec();
        StreamJobStatus previous = job.getStatus();
        StreamJobStatus s = copyOf(previous);
        List<JobEvent> events = new ArrayList<>();
        long gen = generation(job);
        boolean newGeneration = previous == null || !Objects.equals(previous.getObservedGeneration(), gen);
        resumed(s, gen, now, events);

        int desired = PodCount.desired(spec);
        int existing = pods.size();
        int ready = (int) pods.stream().filter(PodObservation::ready).count();

        // scaling decision: the desired pod count moved since the last observation
        Integer before = previous == null ? null : previous.getDesiredReplicas();
        if (before != null && before != desired) {
            ScalingDecision d = decide(spec, before, desired, now);
            s.setLastScalingDecision(d);
            events.add(JobEvent.normal(d.getReason(), d.getMessage()));
        }
        if (newGeneration && desired > 0 && desired != PodCount.requested(spec)) {
            events.add(JobEvent.warning("ReplicasOutOfBounds", outOfBounds(spec, desired)));
        }

        // Degraded: pods that cannot be created, failing pods (the spec is valid and reconciling worked, or we would
        // not be here)
        List<String> problems = new ArrayList<>();
        boolean creationFailed = podCreationFailure != null && existing < desired;
        if (creationFailed) {
            problems.add("pods cannot be created: " + podCreationFailure);
        }
        pods.stream().filter(p -> p.problem() != null).sorted(Comparator.comparing(PodObservation::name))
                .forEach(p -> problems.add(p.name() + ": " + p.problem()));
        boolean degraded = !problems.isEmpty();
        String problemText = truncate(String.join("; ", problems));
        String degradedReason = creationFailed ? "PodCreationFailed" : degraded ? "PodsFailing" : "AsExpected";
        String previousReason = Conditions.find(s.getConditions(), Conditions.DEGRADED).map(c -> c.getReason()).orElse(null);
        if ((Conditions.set(s.getConditions(), Conditions.DEGRADED, degraded, degradedReason,
                degraded ? problemText : "no problem observed", gen, now) || !degradedReason.equals(previousReason))
                && degraded) {
            events.add(JobEvent.warning(degradedReason, problemText));
        }
        s.setError(degraded ? problemText : null);

        // Scaling: pods are being added, removed or replaced
        String scalingReason;
        String scalingMessage;
        if (existing < desired) {
            scalingReason = "ScalingUp";
            scalingMessage = existing + " of " + desired + " pods exist";
        } else if (existing > desired) {
            scalingReason = "ScalingDown";
            scalingMessage = existing + " pods exist, " + desired + " wanted";
        } else if (rollout.inProgress()) {
            scalingReason = "RollingUpdate";
            scalingMessage = rollout.updated() + " of " + desired + " pods run the current template";
        } else {
            scalingReason = "Stable";
            scalingMessage = desired + " pods, none changing";
        }
        Conditions.set(s.getConditions(), Conditions.SCALING, !"Stable".equals(scalingReason), scalingReason,
                scalingMessage, gen, now);

        // Ready and the phase
        List<PodObservation> reporting = pods.stream().filter(p -> p.ready() && p.report() != null).toList();
        boolean finished = desired > 0 && reporting.size() >= desired
                && reporting.stream().allMatch(p -> RuntimeReport.FINISHED.equals(p.report().state()));
        boolean allReady = desired > 0 && ready >= desired;
        JobPhase phase;
        String readyReason;
        String readyMessage = ready + "/" + desired + " pods ready";
        if (desired == 0) {
            phase = existing > 0 ? JobPhase.SUSPENDING : JobPhase.SUSPENDED;
            readyReason = PodCount.suspended(spec) ? "Suspended" : "ScaledToZero";
        } else if (degraded) {
            phase = ready > 0 ? JobPhase.DEGRADED : JobPhase.FAILED;
            readyReason = degradedReason;
        } else if (finished) {
            phase = JobPhase.FINISHED;
            readyReason = "Finished";
        } else if (allReady) {
            phase = JobPhase.RUNNING;
            readyReason = "AllPodsReady";
        } else {
            phase = JobPhase.PENDING;
            readyReason = "PodsNotReady";
        }
        boolean isReady = allReady && !degraded;
        if (Conditions.set(s.getConditions(), Conditions.READY, isReady, readyReason, readyMessage, gen, now) && isReady) {
            events.add(JobEvent.normal("JobReady", readyMessage));
        }
        s.setPhase(phase);

        s.setObservedGeneration(gen);
        s.setDesiredReplicas(desired);
        s.setReplicas(existing);
        s.setReadyReplicas(ready);
        s.setPods(ready + "/" + desired);
        s.setSelector(JobObjects.selectorString(job));
        load(s, pods, spec, now);
        return new Outcome(s, events);
    }

    /** Marks the job as not paused; records an Event when it was paused until now. */
    private static void resumed(StreamJobStatus s, long gen, Instant now, List<JobEvent> events) {
        boolean wasPaused = Conditions.isTrue(s.getConditions(), Conditions.RECONCILIATION_PAUSED);
        Conditions.set(s.getConditions(), Conditions.RECONCILIATION_PAUSED, false, "NotPaused",
                "the operator reconciles this job", gen, now);
        if (wasPaused) {
            events.add(JobEvent.normal("ReconciliationResumed", "the " + JobObjects.PAUSED_ANNOTATION
                    + " annotation is gone; reconciling again"));
        }
    }

    static ScalingDecision decide(StreamJobSpec spec, int from, int to, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (to == 0) {
            boolean suspended = PodCount.suspended(spec);
            return new ScalingDecision(time, from, 0, suspended ? ScalingDecision.SUSPENDED : ScalingDecision.REPLICAS_CHANGED,
                    "pods " + from + " -> 0: " + (suspended ? "spec.suspend is true" : "spec.replicas is 0"));
        }
        if (from == 0) {
            return new ScalingDecision(time, 0, to, ScalingDecision.RESUMED, "pods 0 -> " + to + ": the job runs again");
        }
        if (PodCount.requested(spec) != to) {
            return new ScalingDecision(time, from, to, ScalingDecision.CLAMPED_TO_BOUNDS,
                    "pods " + from + " -> " + to + ": " + outOfBounds(spec, to));
        }
        return new ScalingDecision(time, from, to, ScalingDecision.REPLICAS_CHANGED, "pods " + from + " -> " + to
                + ": spec.replicas is " + to + " (kubectl scale, an autoscaler through the scale subresource, or an edit)");
    }

    private static String outOfBounds(StreamJobSpec spec, int to) {
        return "spec.replicas " + PodCount.requested(spec) + " is outside spec.parallelism.pods ["
                + Defaults.podsMin(spec) + ", " + Defaults.podsMax(spec) + "]; running " + to;
    }

    /** Per-operator threads and load from the ready pods' reports, and the job-level summaries. */
    static void load(StreamJobStatus s, List<PodObservation> pods, StreamJobSpec spec, Instant now) {
        List<PodObservation> ready = pods.stream().filter(PodObservation::ready)
                .sorted(Comparator.comparing(PodObservation::name)).toList();
        List<String> unreachable = ready.stream().filter(PodObservation::unreachable).map(PodObservation::name).toList();
        s.setUnreachablePods(unreachable.isEmpty() ? null : unreachable);
        s.setMetricsTime(ready.stream().anyMatch(PodObservation::queried)
                ? now.truncatedTo(ChronoUnit.SECONDS).toString() : null);
        Map<String, OperatorStatus> ops = new LinkedHashMap<>();
        for (PodObservation p : ready) {
            if (p.report() == null) {
                continue;
            }
            for (RuntimeReport.Operator o : p.report().operators()) {
                if (o.name() == null) {
                    continue;
                }
                OperatorStatus agg = ops.computeIfAbsent(o.name(), n -> {
                    OperatorStatus a = new OperatorStatus();
                    a.setName(n);
                    a.setThreads(new TreeMap<>());
                    return a;
                });
                if (agg.getKind() == null) {
                    agg.setKind(o.kind());
                }
                if (o.instances() != null) {
                    agg.getThreads().put(p.name(), o.instances());
                }
                agg.setMinThreads(o.minInstances() != null ? o.minInstances() : agg.getMinThreads());
                agg.setMaxThreads(o.maxInstances() != null ? o.maxInstances() : agg.getMaxThreads());
                agg.setInputRate(sum(agg.getInputRate(), o.inputRate()));
                agg.setOutputRate(sum(agg.getOutputRate(), o.outputRate()));
                agg.setBusyRatio(max(agg.getBusyRatio(), o.busyRatio()));
                agg.setBacklog(sum(agg.getBacklog(), o.backlog()));
                agg.setEventTimeLagMs(max(agg.getEventTimeLagMs(), o.eventTimeLagMs()));
            }
        }
        if (ops.isEmpty()) {
            s.setOperators(null);
            s.setThreads(null);
            s.setInputRate(null);
            s.setEventTimeLagMs(null);
            return;
        }
        for (OperatorStatus o : ops.values()) {
            o.setInputRate(round(o.getInputRate(), 10));
            o.setOutputRate(round(o.getOutputRate(), 10));
            o.setBusyRatio(round(o.getBusyRatio(), 1000));
        }
        s.setOperators(new ArrayList<>(ops.values()));
        List<OperatorStatus> keyed = ops.values().stream().filter(o -> o.getKind() != null
                && KEYED_KINDS.contains(o.getKind().toLowerCase())).toList();
        s.setThreads((keyed.isEmpty() ? ops.values() : keyed).stream()
                .mapToInt(o -> o.getThreads().values().stream().mapToInt(Integer::intValue).sum()).max().orElse(0));
        Double input = null;
        for (OperatorStatus o : ops.values()) {
            if ("source".equalsIgnoreCase(o.getKind())) {
                input = sum(input, o.getInputRate() != null ? o.getInputRate() : o.getOutputRate());
            }
        }
        s.setInputRate(round(input, 10));
        s.setEventTimeLagMs(ops.values().stream().map(OperatorStatus::getEventTimeLagMs).filter(Objects::nonNull)
                .max(Long::compare).orElse(null));
    }

    private static Double sum(Double a, Double b) {
        return a == null ? b : b == null ? a : a + b;
    }

    private static Long sum(Long a, Long b) {
        return a == null ? b : b == null ? a : a + b;
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    private static Long max(Long a, Long b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    private static Double round(Double v, int scale) {
        return v == null ? null : Math.round(v * scale) / (double) scale;
    }

    static String truncate(String s) {
        return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
    }

    private static long generation(StreamJob job) {
        Long g = job.getMetadata().getGeneration();
        return g == null ? 0 : g;
    }

    /**
     * Whether writing {@code next} over {@code previous} changes anything a reader cares about: any field but
     * {@code metricsTime}, which only says when the pods were last asked. When nothing else changed, the stored
     * status (with its older metricsTime) still describes what the pods report.
     */
    public static boolean changed(StreamJobStatus previous, StreamJobStatus next) {
        if (previous == null || next == null) {
            return previous != next;
        }
        var a = STATUS_JSON.valueToTree(previous);
        var b = STATUS_JSON.valueToTree(next);
        ((com.fasterxml.jackson.databind.node.ObjectNode) a).remove("metricsTime");
        ((com.fasterxml.jackson.databind.node.ObjectNode) b).remove("metricsTime");
        return !a.equals(b);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** A copy of the previous status (conditions deep-copied) to compute the next one from. */
    static StreamJobStatus copyOf(StreamJobStatus p) {
        StreamJobStatus s = new StreamJobStatus();
        if (p != null) {
            s.setObservedGeneration(p.getObservedGeneration());
            s.setPhase(p.getPhase());
            s.setPods(p.getPods());
            s.setReplicas(p.getReplicas());
            s.setReadyReplicas(p.getReadyReplicas());
            s.setDesiredReplicas(p.getDesiredReplicas());
            s.setSelector(p.getSelector());
            s.setThreads(p.getThreads());
            s.setInputRate(p.getInputRate());
            s.setEventTimeLagMs(p.getEventTimeLagMs());
            s.setOperators(p.getOperators());
            s.setUnreachablePods(p.getUnreachablePods());
            s.setMetricsTime(p.getMetricsTime());
            s.setLastScalingDecision(p.getLastScalingDecision());
            s.setError(p.getError());
            s.setConditions(Conditions.copy(p.getConditions()));
        }
        return s;
    }
}
