/**
 * STRETCH's autoscaling policy: metric samples in, decisions with reasons out. No threads, no I/O, no Kubernetes,
 * no HTTP; time comes from an injected {@link java.time.InstantSource}.
 *
 * <p>Use from the runtime (threads in one process):
 *
 * <pre>{@code
 * var autoscaler = new JobAutoscaler(AutoscalerConfig.fromMap(jobConfig), Clock.systemUTC());
 * // every sampling period:
 * autoscaler.observe(new MetricSample(now, operatorSamples, reconfigurationInFlight));
 * ScalingReport report = autoscaler.evaluate();
 * if (report.shouldApply()) report.targets().forEach(engine::reconfigure);
 * }</pre>
 *
 * <p>Use from the Kubernetes operator: feed job-wide samples (instances = threads over all pods, rates summed),
 * then hand the report's targets to {@link dev.stretch.autoscaler.ResourcePlanner}, which places them as threads
 * per pod, pod CPU and pod count ({@link dev.stretch.autoscaler.ScalingPlan}).
 *
 * <p>Types: {@link dev.stretch.autoscaler.AutoscalerOptions} and {@link dev.stretch.autoscaler.AutoscalerConfig}
 * (configuration), {@link dev.stretch.autoscaler.OperatorSample} and {@link dev.stretch.autoscaler.MetricSample}
 * (input), {@link dev.stretch.autoscaler.OperatorSizing} (per-operator sizing),
 * {@link dev.stretch.autoscaler.JobAutoscaler} (the job-level step),
 * {@link dev.stretch.autoscaler.ScalingDecision}, {@link dev.stretch.autoscaler.ScalingReason} and
 * {@link dev.stretch.autoscaler.ScalingReport} (output), {@link dev.stretch.autoscaler.ResourcePlanner} and its
 * {@link dev.stretch.autoscaler.PodLimits}, {@link dev.stretch.autoscaler.PodLayout},
 * {@link dev.stretch.autoscaler.ScalingPlan}, {@link dev.stretch.autoscaler.PlanStep},
 * {@link dev.stretch.autoscaler.ScalingLevel} (multi-level placement).
 */
package dev.stretch.autoscaler;
