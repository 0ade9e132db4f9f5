package dev.stretch.operator.scaling;

import dev.stretch.operator.JobObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/**
 * Realises "the pod's CPU in place": a strategic-merge patch of the {@code resize} subresource (Kubernetes 1.33+;
 * the container's {@code resizePolicy} lets CPU change without a restart), then waits for the kubelet to report
 * the new limit in the container status. The CPU limit is set to the new size; the request only follows it down
 * (a request above the limit is invalid), so the pod keeps its QoS class, which a resize may not change.
 *
 * <p>A resize the cluster refuses (an error, e.g. no {@code pods/resize} before 1.33), reports as {@code Infeasible}
 * or keeps {@code Deferred}/pending past the wait is reported back as refused, and the autoscaler goes to pods.
 */
public final class CpuResizeRealiser {
    private final KubernetesClient client;
    private final Duration wait;

    public CpuResizeRealiser(KubernetesClient client, Duration wait) {
        this.client = client;
        this.wait = wait;
    }

    /** The container's CPU limit in cores, or NaN when it has none. */
    public static double cpuLimit(Pod pod) {
        Container c = container(pod);
        Quantity q = c == null || c.getResources() == null || c.getResources().getLimits() == null ? null
                : c.getResources().getLimits().get("cpu");
        return q == null ? Double.NaN : q.getNumericalAmount().doubleValue();
    }

    /** The CPU limit the kubelet reports running (container status), or NaN when it reports none. */
    public static double runningCpuLimit(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Double.NaN;
        }
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            if (JobObjects.CONTAINER.equals(cs.getName()) && cs.getResources() != null
                    && cs.getResources().getLimits() != null && cs.getResources().getLimits().get("cpu") != null) {
                return cs.getResources().getLimits().get("cpu").getNumericalAmount().doubleValue();
            }
        }
        return Double.NaN;
    }

    /**
     * Resizes the pod's CPU limit to {@code cores} and waits until it runs with it.
     *
     * @return null once the kubelet reports the new limit, else why not (for the decision's message)
     */
    public String resize(Pod pod, double cores) {
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        String millis = BigDecimal.valueOf(cores * 1000).setScale(0, java.math.RoundingMode.HALF_UP).toPlainString() + "m";
        Container c = container(pod);
        Quantity request = c == null || c.getResources() == null || c.getResources().getRequests() == null ? null
                : c.getResources().getRequests().get("cpu");
        String requestPart = request != null && request.getNumericalAmount().doubleValue() > cores
                ? ",\"requests\":{\"cpu\":\"" + millis + "\"}" : "";
        String patch = "{\"spec\":{\"containers\":[{\"name\":\"" + JobObjects.CONTAINER + "\",\"resources\":{\"limits\":"
                + "{\"cpu\":\"" + millis + "\"}" + requestPart + "}}]}}";
        try {
            client.pods().inNamespace(ns).withName(name).subresource("resize")
                    .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
        } catch (KubernetesClientException e) {
            return "pod " + name + ": the cluster refused the resize to " + millis + " (" + e.getCode() + " "
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                            : e.getMessage()) + ")";
        }
        long deadline = System.nanoTime() + wait.toNanos();
        String pending = null;
        while (System.nanoTime() < deadline) {
            Pod now = client.pods().inNamespace(ns).withName(name).get();
            if (now == null) {
                return "pod " + name + " disappeared during the resize";
            }
            if (Math.abs(runningCpuLimit(now) - cores) < 0.0005) {
                return null;
            }
            PodCondition p = condition(now, "PodResizePending");
            if (p != null && "True".equals(p.getStatus())) {
                pending = p.getReason() + (p.getMessage() == null ? "" : ": " + p.getMessage());
                if ("Infeasible".equals(p.getReason())) {
                    return "pod " + name + ": resize to " + millis + " is Infeasible (" + pending + ")";
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return String.format(Locale.ROOT, "pod %s: resize to %s not done after %ss%s", name, millis,
                wait.toSeconds(), pending == null ? "" : " (" + pending + ")");
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static Container container(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        return pod.getSpec().getContainers().stream().filter(c -> JobObjects.CONTAINER.equals(c.getName()))
                .findFirst().orElse(null);
    }
}
