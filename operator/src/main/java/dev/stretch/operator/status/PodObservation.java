package dev.stretch.operator.status;

import dev.stretch.operator.JobObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * What the operator knows of one pod: Kubernetes' view (ready, failing) and, when it answered, the runtime's own
 * report.
 *
 * @param name pod name
 * @param ready the pod's Ready condition is True
 * @param failure why the pod is failing (e.g. {@code CrashLoopBackOff}), or null
 * @param podIp the pod's IP, or null before it has one
 * @param httpPort the container port named {@code http}
 * @param report the pod's GET /v1/status, or null (not asked, or no answer)
 * @param queried whether the operator asked the pod for its status
 */
public record PodObservation(String name, boolean ready, String failure, String podIp, int httpPort,
        RuntimeReport report, boolean queried) {
    /** Waiting reasons after which a container will not become ready without a change. */
    private static final Set<String> FAILING_WAIT_REASONS = Set.of("CrashLoopBackOff", "ImagePullBackOff",
            "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError",
            "RunContainerError");

    public static PodObservation of(Pod pod) {
        return new PodObservation(pod.getMetadata().getName(), isReady(pod), failure(pod),
                pod.getStatus() == null ? null : pod.getStatus().getPodIP(), httpPort(pod), null, false);
    }

    public PodObservation withReport(RuntimeReport r) {
        return new PodObservation(name, ready, failure, podIp, httpPort, r, true);
    }

    /** Asked and no answer. */
    public boolean unreachable() {
        return queried && report == null;
    }

    /** A failure seen by Kubernetes, or the runtime reporting its job FAILED. */
    public String problem() {
        if (failure != null) {
            return failure;
        }
        if (report != null && RuntimeReport.FAILED.equals(report.state())) {
            return "job FAILED" + (report.failure() == null ? "" : ": " + report.failure());
        }
        return null;
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String failure(Pod pod) {
        if (pod.getStatus() == null) {
            return null;
        }
        if ("Failed".equals(pod.getStatus().getPhase())) {
            return "pod Failed" + (pod.getStatus().getReason() == null ? "" : " (" + pod.getStatus().getReason() + ")");
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                if (cs.getState() != null && cs.getState().getWaiting() != null
                        && FAILING_WAIT_REASONS.contains(cs.getState().getWaiting().getReason())) {
                    return cs.getState().getWaiting().getReason();
                }
            }
        }
        return null;
    }

    static int httpPort(Pod pod) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                if (c.getPorts() == null) {
                    continue;
                }
                for (ContainerPort p : c.getPorts()) {
                    if (JobObjects.HTTP_PORT_NAME.equals(p.getName()) && p.getContainerPort() != null) {
                        return p.getContainerPort();
                    }
                }
            }
        }
        return JobObjects.HTTP_PORT;
    }
}
