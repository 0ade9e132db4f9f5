package dev.stretch.operator;

import dev.stretch.model.FieldError;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.operator.customresource.AutoscalingStatus;
import dev.stretch.operator.customresource.ScalingDecision;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.dependent.ControlTokenSecretDependent;
import dev.stretch.operator.dependent.HeadlessServiceDependent;
import dev.stretch.operator.dependent.JobConfigMapDependent;
import dev.stretch.operator.dependent.PodDisruptionBudgetDependent;
import dev.stretch.operator.dependent.PodMonitorCrdPresent;
import dev.stretch.operator.dependent.PodMonitorDependent;
import dev.stretch.operator.dependent.StatefulSetDependent;
import dev.stretch.operator.dependent.TopologyConfigMapDependent;
import dev.stretch.operator.scaling.JobScalers;
import dev.stretch.operator.status.JobEvent;
import dev.stretch.operator.status.PodCreationFailures;
import dev.stretch.operator.status.PodObservation;
import dev.stretch.operator.status.PodStatusClient;
import dev.stretch.operator.status.Rollout;
import dev.stretch.operator.status.StatusAssessment;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.annotations.RBACRule;
import io.quarkiverse.operatorsdk.annotations.RBACVerbs;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reconciles a StreamJob: validates its spec, makes its owned objects match it (ConfigMap, control-token Secret,
 * headless Service, StatefulSet, PodDisruptionBudget, and a PodMonitor where the Prometheus Operator is installed),
 * then reports what the pods do in the status.
 *
 * <p>The workflow of dependents is invoked explicitly, so that an invalid spec (one that passes the CRD schema but
 * not {@link StreamJobValidator}) changes nothing: no object is created, and objects from an earlier valid spec are
 * left running rather than deleted. The same holds while the job carries {@code stretch.dev/paused: "true"}.
 *
 * <p>Reconciles are triggered by spec changes (including the scale subresource), the paused annotation, changes of
 * owned objects and pods, and a periodic status refresh ({@code stretch.operator.status-refresh}). There is no
 * finalizer: owned objects carry a controller owner reference and Kubernetes' garbage collector removes them with
 * the job.
 */
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "job-configmap", type = JobConfigMapDependent.class),
        @Dependent(name = "topology-configmap", type = TopologyConfigMapDependent.class),
        @Dependent(name = "control-token", type = ControlTokenSecretDependent.class),
        @Dependent(name = "headless-service", type = HeadlessServiceDependent.class),
        @Dependent(name = "statefulset", type = StatefulSetDependent.class,
                dependsOn = { "job-configmap", "topology-configmap", "control-token", "headless-service" }),
        @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class),
        @Dependent(name = "podmonitor", type = PodMonitorDependent.class, activationCondition = PodMonitorCrdPresent.class)
})
@ControllerConfiguration(name = StreamJobReconciler.NAME, generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = PrimaryUpdateFilter.class))
// Beyond what QOSDK derives from the dependents (see operator/README.md, "RBAC"):
// pods are read to report readiness and to find each pod's IP for GET /v1/status
@RBACRule(apiGroups = "", resources = "pods", verbs = { RBACVerbs.LIST, RBACVerbs.WATCH })
// Events for decisions and errors (never updated: each is a new object); listed to find the StatefulSet
// controller's FailedCreate Events (PodCreationFailures)
@RBACRule(apiGroups = "", resources = "events", verbs = { RBACVerbs.CREATE, RBACVerbs.LIST })
// the autoscaler's in-place CPU resize of a job's pods (pods/resize, Kubernetes 1.33+; CONTRACTS C1)
@RBACRule(apiGroups = "", resources = "pods/resize", verbs = { RBACVerbs.PATCH })
// leader election (JOSDK checks exactly these three at start-up)
@RBACRule(apiGroups = "coordination.k8s.io", resources = "leases", verbs = { RBACVerbs.GET, RBACVerbs.CREATE,
        RBACVerbs.UPDATE })
public class StreamJobReconciler implements Reconciler<StreamJob> {
    public static final String NAME = "streamjob";
    static final String PODS_EVENT_SOURCE = "pods";
    private static final Logger LOG = Logger.getLogger(StreamJobReconciler.class);

    private final JobEvents events;
    private final OperatorMetrics metrics;
    private final PodCreationFailures podCreationFailures;
    private final PodStatusClient podStatus;
    private final JobScalers scalers;
    private final Clock clock;
    private final Duration statusRefresh;

    @Inject
    public StreamJobReconciler(JobEvents events, OperatorMetrics metrics, PodCreationFailures podCreationFailures,
            PodStatusClient podStatus, JobScalers scalers, Clock clock,
            @ConfigProperty(name = "stretch.operator.status-refresh", defaultValue = "15s") Duration statusRefresh) {
        this.scalers = scalers;
        this.events = events;
        this.metrics = metrics;
        this.podCreationFailures = podCreationFailures;
        this.podStatus = podStatus;
        this.clock = clock;
        this.statusRefresh = statusRefresh;
    }

    /**
     * The job's pods, which the StatefulSet controller (not this operator) creates: selected by the managed-by
     * label, mapped back to their job by the job label.
     */
    @Override
    public List<EventSource<?, StreamJob>> prepareEventSources(EventSourceContext<StreamJob> context) {
        var config = InformerEventSourceConfiguration.from(Pod.class, StreamJob.class)
                .withName(PODS_EVENT_SOURCE)
                .withLabelSelector(JobObjects.MANAGED_SELECTOR)
                .withSecondaryToPrimaryMapper((Pod pod) -> {
                    Map<String, String> labels = pod.getMetadata().getLabels();
                    String job = labels == null ? null : labels.get(JobObjects.JOB_LABEL);
                    return job == null ? Set.of() : Set.of(new ResourceID(job, pod.getMetadata().getNamespace()));
                })
                .build();
        return List.of(new InformerEventSource<>(config, context));
    }

    @Override
    public UpdateControl<StreamJob> reconcile(StreamJob job, Context<StreamJob> context) {
        metrics.observe(job, context.getPrimaryCache());
        StatusAssessment.Outcome outcome;
        if (JobObjects.paused(job)) {
            scalers.stop(ResourceID.fromResource(job));
            outcome = StatusAssessment.assessPaused(job, clock.instant());
            return write(job, outcome, false);
        }
        List<FieldError> errors = StreamJobValidator.validateSpec(job.getSpec(), job.getMetadata().getName());
        if (!errors.isEmpty()) {
            scalers.stop(ResourceID.fromResource(job));
            outcome = StatusAssessment.assessInvalid(job, errors, observePods(context), clock.instant());
            return write(job, outcome, false);
        }
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                .throwAggregateExceptionIfErrorsPresent();
        // the scaling loop runs on its own schedule; it gets the job and its pods from here (informer caches)
        scalers.observe(job, context.getSecondaryResourcesAsStream(Pod.class).toList(), context.getPrimaryCache());

        // only ready pods are asked for their status; the others still count
        List<PodObservation> observed = observePods(context);
        Map<String, PodObservation> answered = podStatus.query(observed.stream().filter(PodObservation::ready).toList())
                .stream().collect(Collectors.toMap(PodObservation::name, p -> p));
        List<PodObservation> pods = observed.stream().map(p -> answered.getOrDefault(p.name(), p)).toList();
        Rollout rollout = Rollout.of(context.getSecondaryResource(StatefulSet.class).orElse(null));
        String creationFailure = pods.size() < PodCount.desired(job.getSpec())
                ? podCreationFailures.latest(job).orElse(null) : null;
        outcome = StatusAssessment.assess(job, pods, rollout, creationFailure, clock.instant());
        return write(job, outcome, true);
    }

    private List<PodObservation> observePods(Context<StreamJob> context) {
        return context.getSecondaryResourcesAsStream(Pod.class)
                .map(PodObservation::of)
                .sorted(Comparator.comparing(PodObservation::name))
                .toList();
    }

    /**
     * Records the outcome's Events and patches the status, but only when it changed: a periodic refresh that
     * observed nothing new writes nothing (no new resourceVersion, no watch event for every client of the job).
     */
    private UpdateControl<StreamJob> write(StreamJob job, StatusAssessment.Outcome outcome, boolean refresh) {
        outcome.events().forEach(e -> events.record(job, e));
        // the autoscaler's part of the status: the running loop's view, else what was last written
        AutoscalingStatus autoscaling = scalers.status(job);
        if (autoscaling == null && job.getStatus() != null) {
            autoscaling = job.getStatus().getAutoscaling();
        }
        outcome.status().setAutoscaling(autoscaling);
        outcome.status().setScaling(autoscaling == null || autoscaling.getLastDecision() == null ? null
                : autoscaling.getLastDecision().getReason());
        outcome.status().setPodCpuCores(autoscaling == null ? null : autoscaling.getPodCpuCores());
        ScalingDecision before = job.getStatus() == null ? null : job.getStatus().getLastScalingDecision();
        ScalingDecision after = outcome.status().getLastScalingDecision();
        if (after != null && after != before && (before == null || !Objects.equals(before.getTime(), after.getTime())
                || !Objects.equals(before.getReason(), after.getReason()))) {
            metrics.scalingDecision(job, after.getReason());
        }
        UpdateControl<StreamJob> control;
        boolean changed = StatusAssessment.changed(job.getStatus(), outcome.status());
        metrics.statusUpdate(changed);
        if (changed) {
            job.setStatus(outcome.status());
            control = UpdateControl.patchStatus(job);
        } else {
            control = UpdateControl.noUpdate();
        }
        return refresh ? control.rescheduleAfter(statusRefresh) : control;
    }

    @Override
    public ErrorStatusUpdateControl<StreamJob> updateErrorStatus(StreamJob job, Context<StreamJob> context,
            Exception e) {
        if (e instanceof KubernetesClientException kce && kce.getCode() == 404) {
            // the job was deleted while it was being reconciled: nothing left to report on
            return ErrorStatusUpdateControl.<StreamJob>noStatusUpdate().withNoRetry();
        }
        boolean last = context.getRetryInfo().map(RetryInfo::isLastAttempt).orElse(true);
        LOG.warnf("reconciling %s/%s failed%s: %s", job.getMetadata().getNamespace(), job.getMetadata().getName(),
                last ? " (last attempt)" : "", e.getMessage());
        StatusAssessment.Outcome outcome = StatusAssessment.assessReconcileError(job, rootMessage(e), last,
                clock.instant());
        for (JobEvent event : outcome.events()) {
            events.record(job, event);
        }
        job.setStatus(outcome.status());
        // after the last retry, try again slowly rather than never (rescheduleAfter implies no further retries)
        return last ? ErrorStatusUpdateControl.patchStatus(job).rescheduleAfter(Duration.ofMinutes(5))
                : ErrorStatusUpdateControl.patchStatus(job);
    }

    /** The error in one line per cause, without the stack traces JOSDK's aggregated exception carries. */
    static String rootMessage(Exception e) {
        if (e instanceof AggregatedOperatorException agg && !agg.getAggregatedExceptions().isEmpty()) {
            return agg.getAggregatedExceptions().entrySet().stream()
                    .map(c -> c.getKey() + ": " + message(c.getValue()))
                    .collect(Collectors.joining("; "));
        }
        return message(e);
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
