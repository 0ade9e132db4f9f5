package dev.stretch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.model.FieldError;
import dev.stretch.operator.TestJobs;
import dev.stretch.operator.customresource.JobPhase;
import dev.stretch.operator.customresource.OperatorStatus;
import dev.stretch.operator.customresource.ScalingDecision;
import dev.stretch.operator.customresource.StreamJob;
import dev.stretch.operator.customresource.StreamJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The status and Events computed from an observation. */
class StatusAssessmentTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:01:00Z");
    private static final Instant T2 = Instant.parse("2026-01-01T10:02:00Z");

    private final StreamJob job = job();

    private static StreamJob job() {
        StreamJob j = TestJobs.streamJob(TestJobs.CLICKS, "clicks", "ns");
        j.getMetadata().setGeneration(1L);
        return j;
    }

    private static PodObservation ready(String name) {
        return new PodObservation(name, true, null, "10.0.0.1", 8080, null, false);
    }

    private static PodObservation notReady(String name) {
        return new PodObservation(name, false, null, null, 8080, null, false);
    }

    private static RuntimeReport report(String pod, String state, int windowThreads, double rate, long lag) {
        return new RuntimeReport("clicks", RuntimeReport.Pod.named(pod), state, state.equals("FAILED") ? "source broke" : null, List.of(
                new RuntimeReport.Operator("events", "source", 1, 1, 1, rate, rate, 0.1, 0L, 0L, null),
                new RuntimeReport.Operator("per-key", "window", windowThreads, 1, 4, rate, 10.0, 0.5, 7L, lag, null),
                new RuntimeReport.Operator("out", "sink", 1, 1, 1, 10.0, 0.0, 0.01, 0L, 5L, null)));
    }

    private StatusAssessment.Outcome assess(List<PodObservation> pods, Rollout rollout, Instant now) {
        StatusAssessment.Outcome o = StatusAssessment.assess(job, pods, rollout, now);
        job.setStatus(o.status());
        return o;
    }

    private Condition condition(String type) {
        return Conditions.find(job.getStatus().getConditions(), type).orElseThrow();
    }

    private static List<String> reasons(StatusAssessment.Outcome o) {
        return o.events().stream().map(JobEvent::reason).toList();
    }

    @Test
    void shouldBePendingUntilEveryDesiredPodIsReady() {
        StatusAssessment.Outcome o = assess(List.of(ready("clicks-0"), notReady("clicks-1")), Rollout.UNKNOWN, T0);
        StreamJobStatus s = o.status();
        assertThat(s.getPhase()).isEqualTo(JobPhase.PENDING);
        assertThat(s.getPods()).isEqualTo("1/2");
        assertThat(s.getReplicas()).isEqualTo(2);
        assertThat(s.getReadyReplicas()).isEqualTo(1);
        assertThat(s.getDesiredReplicas()).isEqualTo(2);
        assertThat(s.getSelector()).isEqualTo("stretch.dev/job=clicks");
        assertThat(s.getObservedGeneration()).isEqualTo(1L);
        assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
        assertThat(condition(Conditions.READY).getReason()).isEqualTo("PodsNotReady");
        assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("False");
        assertThat(condition(Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("False");
        assertThat(o.events()).isEmpty();
    }

    @Test
    void shouldBeRunningAndReadyOnceAllPodsAreReadyWithOneEvent() {
        assess(List.of(notReady("clicks-0"), notReady("clicks-1")), Rollout.UNKNOWN, T0);
        StatusAssessment.Outcome o = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T1);
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.RUNNING);
        assertThat(condition(Conditions.READY).getStatus()).isEqualTo("True");
        assertThat(condition(Conditions.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:01:00Z");
        assertThat(reasons(o)).containsExactly("JobReady");

        StatusAssessment.Outcome again = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T2);
        assertThat(again.events()).as("no Event without a change").isEmpty();
        assertThat(condition(Conditions.READY).getLastTransitionTime()).isEqualTo("2026-01-01T10:01:00Z");
    }

    @Test
    void shouldAggregateThreadsPerOperatorPerPodAndTheJobSummaries() {
        StatusAssessment.Outcome o = assess(List.of(
                ready("clicks-0").withReport(report("clicks-0", "RUNNING", 2, 100.04, 30)),
                ready("clicks-1").withReport(report("clicks-1", "RUNNING", 3, 50.0, 80))), Rollout.UNKNOWN, T0);
        StreamJobStatus s = o.status();
        OperatorStatus window = s.getOperators().stream().filter(x -> x.getName().equals("per-key")).findFirst()
                .orElseThrow();
        assertThat(window.getKind()).isEqualTo("window");
        assertThat(window.getThreads()).isEqualTo(Map.of("clicks-0", 2, "clicks-1", 3));
        assertThat(window.getMinThreads()).isEqualTo(1);
        assertThat(window.getMaxThreads()).isEqualTo(4);
        assertThat(window.getBusyRatio()).isEqualTo(0.5);
        assertThat(window.getBacklog()).isEqualTo(14L);
        assertThat(window.getEventTimeLagMs()).isEqualTo(80L);
        assertThat(s.getThreads()).as("the keyed operator's threads over all pods").isEqualTo(5);
        assertThat(s.getInputRate()).as("sources' input, summed, one decimal").isEqualTo(150.0);
        assertThat(s.getEventTimeLagMs()).isEqualTo(80L);
        assertThat(s.getUnreachablePods()).isNull();
        assertThat(s.getMetricsTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void shouldTolerateUnreachablePods() {
        StatusAssessment.Outcome o = assess(List.of(
                ready("clicks-0").withReport(report("clicks-0", "RUNNING", 2, 10, 1)),
                ready("clicks-1").withReport(null)), Rollout.UNKNOWN, T0);
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.RUNNING);
        assertThat(o.status().getUnreachablePods()).containsExactly("clicks-1");
        assertThat(o.status().getThreads()).isEqualTo(2);
        assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("False");
    }

    @Test
    void shouldBeDegradedWhenAPodIsFailing() {
        StatusAssessment.Outcome o = assess(List.of(ready("clicks-0"),
                new PodObservation("clicks-1", false, "CrashLoopBackOff", null, 8080, null, false)), Rollout.UNKNOWN, T0);
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.DEGRADED);
        assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(Conditions.DEGRADED).getMessage()).isEqualTo("clicks-1: CrashLoopBackOff");
        assertThat(o.status().getError()).isEqualTo("clicks-1: CrashLoopBackOff");
        assertThat(reasons(o)).containsExactly("PodsFailing");

        StatusAssessment.Outcome failedJob = assess(List.of(
                ready("clicks-0").withReport(report("clicks-0", "FAILED", 1, 0, 0)), notReady("clicks-1")),
                Rollout.UNKNOWN, T1);
        assertThat(failedJob.status().getPhase()).isEqualTo(JobPhase.DEGRADED);
        assertThat(condition(Conditions.DEGRADED).getMessage()).isEqualTo("clicks-0: job FAILED: source broke");
        assertThat(failedJob.events()).as("still degraded: no new Event").isEmpty();
    }

    @Test
    void shouldBeFinishedWhenEveryPodReportsFinished() {
        StatusAssessment.Outcome o = assess(List.of(
                ready("clicks-0").withReport(report("clicks-0", "FINISHED", 1, 0, 0)),
                ready("clicks-1").withReport(report("clicks-1", "FINISHED", 1, 0, 0))), Rollout.UNKNOWN, T0);
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.FINISHED);
    }

    @Test
    void shouldReportScalingWhilePodsAreAddedRemovedOrReplaced() {
        assess(List.of(ready("clicks-0")), Rollout.UNKNOWN, T0);
        assertThat(condition(Conditions.SCALING).getStatus()).isEqualTo("True");
        assertThat(condition(Conditions.SCALING).getReason()).isEqualTo("ScalingUp");
        assess(List.of(ready("clicks-0"), ready("clicks-1"), ready("clicks-2")), Rollout.UNKNOWN, T0);
        assertThat(condition(Conditions.SCALING).getReason()).isEqualTo("ScalingDown");
        assess(List.of(ready("clicks-0"), ready("clicks-1")), new Rollout(true, 1), T0);
        assertThat(condition(Conditions.SCALING).getReason()).isEqualTo("RollingUpdate");
        assess(List.of(ready("clicks-0"), ready("clicks-1")), new Rollout(false, 2), T1);
        assertThat(condition(Conditions.SCALING).getStatus()).isEqualTo("False");
        assertThat(condition(Conditions.SCALING).getReason()).isEqualTo("Stable");
    }

    @Test
    void shouldRecordAScalingDecisionWithItsReasonWhenTheDesiredPodCountChanges() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        job.getSpec().setReplicas(3);
        job.getMetadata().setGeneration(2L);
        StatusAssessment.Outcome o = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T1);
        ScalingDecision d = o.status().getLastScalingDecision();
        assertThat(d.getReason()).isEqualTo(ScalingDecision.REPLICAS_CHANGED);
        assertThat(d.getFromReplicas()).isEqualTo(2);
        assertThat(d.getToReplicas()).isEqualTo(3);
        assertThat(d.getTime()).isEqualTo("2026-01-01T10:01:00Z");
        assertThat(reasons(o)).containsExactly(ScalingDecision.REPLICAS_CHANGED);

        StatusAssessment.Outcome same = assess(List.of(ready("clicks-0"), ready("clicks-1"), ready("clicks-2")),
                Rollout.UNKNOWN, T2);
        assertThat(reasons(same)).doesNotContain(ScalingDecision.REPLICAS_CHANGED);
        assertThat(same.status().getLastScalingDecision().getTime()).as("kept").isEqualTo("2026-01-01T10:01:00Z");
    }

    @Test
    void shouldClampAndWarnWhenReplicasAreOutOfBounds() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        job.getSpec().setReplicas(7);
        job.getMetadata().setGeneration(2L);
        StatusAssessment.Outcome o = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T1);
        assertThat(o.status().getDesiredReplicas()).isEqualTo(3);
        assertThat(o.status().getLastScalingDecision().getReason()).isEqualTo(ScalingDecision.CLAMPED_TO_BOUNDS);
        assertThat(o.status().getLastScalingDecision().getMessage()).contains("spec.replicas 7 is outside spec.parallelism.pods [1, 3]");
        assertThat(reasons(o)).containsExactly(ScalingDecision.CLAMPED_TO_BOUNDS, "ReplicasOutOfBounds");
    }

    @Test
    void shouldBeSuspendedWithoutPodsAndKeepTheRestOfTheStatus() {
        assess(List.of(ready("clicks-0").withReport(report("clicks-0", "RUNNING", 2, 10, 1)), ready("clicks-1")),
                Rollout.UNKNOWN, T0);
        job.getSpec().setSuspend(true);
        job.getMetadata().setGeneration(2L);
        StatusAssessment.Outcome suspending = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T1);
        assertThat(suspending.status().getPhase()).isEqualTo(JobPhase.SUSPENDING);
        assertThat(suspending.status().getLastScalingDecision().getReason()).isEqualTo(ScalingDecision.SUSPENDED);
        StatusAssessment.Outcome suspended = assess(List.of(), Rollout.UNKNOWN, T2);
        assertThat(suspended.status().getPhase()).isEqualTo(JobPhase.SUSPENDED);
        assertThat(suspended.status().getPods()).isEqualTo("0/0");
        assertThat(condition(Conditions.READY).getReason()).isEqualTo("Suspended");
        assertThat(suspended.status().getLastScalingDecision().getReason()).isEqualTo(ScalingDecision.SUSPENDED);
        assertThat(suspended.status().getObservedGeneration()).isEqualTo(2L);

        job.getSpec().setSuspend(false);
        job.getMetadata().setGeneration(3L);
        StatusAssessment.Outcome resumed = assess(List.of(), Rollout.UNKNOWN, T2);
        assertThat(resumed.status().getLastScalingDecision().getReason()).isEqualTo(ScalingDecision.RESUMED);
        assertThat(resumed.status().getPhase()).isEqualTo(JobPhase.PENDING);
    }

    @Test
    void shouldReportAnInvalidSpecOncePerGenerationWithEveryField() {
        List<FieldError> errors = List.of(new FieldError("spec.pipeline[1].map.set.x", "at 1:7 Syntax error"),
                new FieldError("spec.pipeline[2].window.keyBy", "unknown field 'user'"));
        StatusAssessment.Outcome o = StatusAssessment.assessInvalid(job, errors, List.of(), T0);
        job.setStatus(o.status());
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.FAILED);
        assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("True");
        assertThat(condition(Conditions.DEGRADED).getReason()).isEqualTo("InvalidSpec");
        assertThat(condition(Conditions.DEGRADED).getMessage()).isEqualTo(
                "spec.pipeline[1].map.set.x: at 1:7 Syntax error; spec.pipeline[2].window.keyBy: unknown field 'user'");
        assertThat(condition(Conditions.READY).getStatus()).isEqualTo("False");
        assertThat(o.events()).singleElement().satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo("InvalidSpec");
            assertThat(e.message()).contains("spec.pipeline[2].window.keyBy: unknown field 'user'");
        });

        StatusAssessment.Outcome again = StatusAssessment.assessInvalid(job, errors, List.of(), T1);
        assertThat(again.events()).as("same generation: no second Event").isEmpty();
        job.setStatus(again.status());
        job.getMetadata().setGeneration(2L);
        assertThat(StatusAssessment.assessInvalid(job, errors, List.of(), T2).events()).as("new generation").hasSize(1);
    }

    @Test
    void shouldStayDegradedWhilePodsOfAnEarlierValidSpecRun() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        job.getMetadata().setGeneration(2L);
        StatusAssessment.Outcome o = StatusAssessment.assessInvalid(job,
                List.of(new FieldError("spec.x", "bad")), List.of(ready("clicks-0"), ready("clicks-1")), T1);
        assertThat(o.status().getPhase()).isEqualTo(JobPhase.DEGRADED);
        assertThat(o.status().getPods()).isEqualTo("2/2");
        job.setStatus(o.status());

        job.getMetadata().setGeneration(3L);
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T2);
        assertThat(condition(Conditions.DEGRADED).getStatus()).isEqualTo("False");
        assertThat(job.getStatus().getError()).isNull();
        assertThat(job.getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
    }

    @Test
    void shouldReportPauseAndResumeOnceEach() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        StatusAssessment.Outcome paused = StatusAssessment.assessPaused(job, T1);
        job.setStatus(paused.status());
        assertThat(paused.status().getPhase()).isEqualTo(JobPhase.PAUSED);
        assertThat(paused.status().getPods()).as("the rest is kept").isEqualTo("2/2");
        assertThat(condition(Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("True");
        assertThat(reasons(paused)).containsExactly("ReconciliationPaused");
        StatusAssessment.Outcome stillPaused = StatusAssessment.assessPaused(job, T2);
        assertThat(stillPaused.events()).isEmpty();
        job.setStatus(stillPaused.status());

        StatusAssessment.Outcome resumed = assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T2);
        assertThat(reasons(resumed)).containsExactly("ReconciliationResumed");
        assertThat(resumed.status().getPhase()).isEqualTo(JobPhase.RUNNING);
    }

    @Test
    void shouldReportReconcileErrorsOnFlipAndOnTheLastAttempt() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        StatusAssessment.Outcome first = StatusAssessment.assessReconcileError(job, "conflict", false, T1);
        job.setStatus(first.status());
        assertThat(first.status().getPhase()).isEqualTo(JobPhase.DEGRADED);
        assertThat(first.status().getError()).isEqualTo("conflict");
        assertThat(reasons(first)).containsExactly("ReconcileError");
        StatusAssessment.Outcome retry = StatusAssessment.assessReconcileError(job, "conflict", false, T1);
        job.setStatus(retry.status());
        assertThat(retry.events()).isEmpty();
        StatusAssessment.Outcome last = StatusAssessment.assessReconcileError(job, "conflict", true, T2);
        assertThat(last.events()).singleElement().satisfies(e -> assertThat(e.message()).startsWith("giving up"));
    }

    @Test
    void shouldNotTouchThePreviousStatus() {
        assess(List.of(ready("clicks-0"), ready("clicks-1")), Rollout.UNKNOWN, T0);
        StreamJobStatus before = job.getStatus();
        List<Condition> conditionsBefore = new ArrayList<>(Conditions.copy(before.getConditions()));
        StatusAssessment.assessInvalid(job, List.of(new FieldError("spec.x", "bad")), List.of(), T1);
        assertThat(before.getConditions()).usingRecursiveComparison().isEqualTo(conditionsBefore);
        assertThat(before.getPhase()).isEqualTo(JobPhase.RUNNING);
    }
}
