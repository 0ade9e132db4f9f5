package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.PodCount;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * ConfigMap {@code <job>-topology}: how many pods the job has (key {@code pods}, a decimal integer), for the pods
 * themselves (CONTRACTS C1). It is mounted as a whole volume, not with {@code subPath}, so the kubelet updates the
 * file in the running pods (a symlink swap within about a minute on a real kubelet) and {@code stretch pod}, which
 * re-reads it, divides the work anew without a restart. The count is therefore kept out of the pod template: a
 * template change would roll every pod on every horizontal scaling step.
 *
 * <p><b>When a change takes effect.</b> Generator and file sources divide their splits by the count at an agreed
 * event time T (runtime-image README): with the count, the operator writes {@code handover-at} = T (epoch ms) and,
 * for the record, {@code pods-before}. T is the wall clock at the change plus {@code
 * stretch.operator.topology-handover-lead} (default 90 s, longer than a kubelet takes to refresh a ConfigMap volume:
 * its sync period is a minute), so that every pod sees the change before its sources pass T and each record is
 * emitted by exactly one pod; a pod added by the change starts with {@code handover-at} set and owns nothing up to T.
 * T stays as written until the count changes again. Sources whose event time runs far from the wall clock (replays
 * of old files, unpaced generators) may pass T before or long after the pods see it; Kafka sources do not use T.
 *
 * <p>While the job is suspended or scaled to zero there are no pods to tell; the ConfigMap keeps the count the job
 * resumes with, so that the first pods of a resumed job read the right count at once.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class TopologyConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, StreamJob> {
    /** The key with the event time (epoch ms) at which the current count takes effect. */
    public static final String HANDOVER_KEY = "handover-at";
    /** The key with the count before the latest change. */
    public static final String PODS_BEFORE_KEY = "pods-before";
    static final Duration DEFAULT_LEAD = Duration.ofSeconds(90);

    @Override
    protected ConfigMap desired(StreamJob job, Context<StreamJob> context) {
        ConfigMap current = context == null ? null : context.getClient().configMaps()
                .inNamespace(job.getMetadata().getNamespace()).withName(JobObjects.topologyConfigMap(job)).get();
        return desired(job, current, Clock.systemUTC().instant(), lead());
    }

    /**
     * The ConfigMap for {@code job}, given the one there is now ({@code current}, null if none): a new count gets a
     * new {@code handover-at} of {@code now + lead}; an unchanged count keeps the one written with it.
     */
    static ConfigMap desired(StreamJob job, ConfigMap current, Instant now, Duration lead) {
        String pods = Integer.toString(pods(job));
        Map<String, String> data = new LinkedHashMap<>();
        data.put(JobObjects.TOPOLOGY_PODS_KEY, pods);
        Map<String, String> before = current == null || current.getData() == null ? Map.of() : current.getData();
        String was = before.get(JobObjects.TOPOLOGY_PODS_KEY);
        if (was != null && !was.equals(pods)) {
            // rounded up to a whole second: desired() may be asked twice in one reconcile
            long at = (now.plus(lead).toEpochMilli() + 999) / 1000 * 1000;
            data.put(HANDOVER_KEY, Long.toString(at));
            data.put(PODS_BEFORE_KEY, was);
        } else if (was != null) {
            copy(before, data, HANDOVER_KEY);
            copy(before, data, PODS_BEFORE_KEY);
        }
        return new ConfigMapBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.topologyConfigMap(job)))
                .withData(data)
                .build();
    }

    private static void copy(Map<String, String> from, Map<String, String> to, String key) {
        if (from.get(key) != null) {
            to.put(key, from.get(key));
        }
    }

    /** {@code stretch.operator.topology-handover-lead}: how far ahead of the wall clock a count change is agreed. */
    static Duration lead() {
        return ConfigProvider.getConfig().getOptionalValue("stretch.operator.topology-handover-lead", Duration.class)
                .orElse(DEFAULT_LEAD);
    }

    /** The pod count the pods are told: the desired count, or while there are none, the one to resume with. */
    public static int pods(StreamJob job) {
        int desired = PodCount.desired(job.getSpec());
        return desired > 0 ? desired : PodCount.clamp(job.getSpec());
    }

    @Override
    protected void addReferenceHandlingMetadata(ConfigMap desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
