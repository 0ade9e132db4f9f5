package dev.stretch.runtime.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.ReconfigurationResult;
import dev.stretch.model.ApplicationSpec;
import dev.stretch.model.AutoscalingMode;
import dev.stretch.model.AutoscalingSpec;
import dev.stretch.model.Bounds;
import dev.stretch.model.ObjectMetadata;
import dev.stretch.model.ParallelismSpec;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.MachineLoad;
import dev.stretch.runtime.RuntimeServices;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process autoscaler under a load step: threads go up while the step lasts, come back down after
 * it, and the output is identical to a run at a fixed thread count.
 */
class LocalAutoscalerTest {
    private static StreamJobManifest job(String run, boolean paced, AutoscalingSpec autoscaling) {
        StreamJobManifest m = new StreamJobManifest();
        m.setApiVersion(StreamJobManifest.API_VERSION);
        m.setKind(StreamJobManifest.KIND);
        ObjectMetadata md = new ObjectMetadata();
        md.setName("step-" + run);
        m.setMetadata(md);
        StreamJobSpec s = new StreamJobSpec();
        ApplicationSpec a = new ApplicationSpec();
        a.setClassName(StepLoadApplication.class.getName());
        a.setArgs(List.of(run, Boolean.toString(paced), "400", "6000", "3", "8", "12"));
        s.setApplication(a);
        ParallelismSpec p = new ParallelismSpec();
        Bounds t = new Bounds();
        t.setMin(1);
        t.setMax(4);
        t.setInitial(1);
        p.setThreads(t);
        s.setParallelism(p);
        s.setAutoscaling(autoscaling);
        m.setSpec(s);
        return m;
    }

    @Test
    void shouldAddThreadsDuringALoadStepAndRemoveThemAfterKeepingTheOutput() throws Exception {
        AutoscalingSpec off = new AutoscalingSpec();
        off.setMode(AutoscalingMode.OFF);
        try (JobProcess fixed = JobProcess.start(job("fixed", false, off), RuntimeServices.connectors(0), null, "test", 500)) {
            fixed.execution().awaitTermination();
        }
        List<String> expected = StepLoadApplication.OUTPUT.get("fixed");
        assertThat(expected).isNotEmpty();

        AutoscalingSpec auto = new AutoscalingSpec();
        auto.setMode(AutoscalingMode.AUTO);
        auto.setMetricWindow("1s");
        auto.setStabilization("1s");
        auto.setScaleDownDelay("3s");
        List<ReconfigurationResult> changes = Collections.synchronizedList(new ArrayList<>());
        MachineLoad.Window run = MachineLoad.window();
        List<String> reports = Collections.synchronizedList(new ArrayList<>());
        try (JobProcess p = JobProcess.start(job("elastic", true, auto), RuntimeServices.connectors(0), null, "test", 250);
                LocalAutoscaler scaler = (LocalAutoscaler) RuntimeServices.autoscaler(p, job("elastic", true, auto).getSpec(),
                        (r, why) -> changes.add(r))) {
            p.onSample(r -> {
                if (scaler.lastReport() != null) {
                    reports.add(scaler.lastReport().message());
                }
            });
            p.execution().awaitTermination();
        }
        assertThat(changes).as("rescalings; reports: %s", reports).isNotEmpty();
        int peak = changes.stream().mapToInt(ReconfigurationResult::to).max().orElse(1);
        assertThat(peak).as("threads during the step").isGreaterThan(1);
        assertThat(StepLoadApplication.OUTPUT.get("elastic")).as("output with autoscaling").isEqualTo(expected);
        ReconfigurationResult last = changes.get(changes.size() - 1);
        if (last.to() >= peak) {
            // the step is over but the backlog it left is not caught up: only on a machine without CPU to spare
            run.assumeCpuToSpare("during the run", 1.0, "the step needs about one free core to be caught up");
        }
        assertThat(last.to()).as("threads after the step; reports: %s", reports).isLessThan(peak);
    }
}
