package dev.stretch.operator.status;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Why the StatefulSet controller cannot create a job's pods, from the Warning Events it records on the StatefulSet
 * (reason {@code FailedCreate}: refused by Pod Security admission, a ResourceQuota, a webhook...). StatefulSets carry
 * no condition for this, so without it a job whose pods are refused would only look "Pending" for ever.
 *
 * <p>Asked only while a job has fewer pods than it wants; only Events seen within {@link #RECENT} count, so a
 * failure that was fixed stops counting once the controller stops repeating it.
 */
@Singleton
public class PodCreationFailures {
    /** The StatefulSet controller retries with back-off up to about 5 minutes; its Event's lastTimestamp moves each time. */
    static final Duration RECENT = Duration.ofMinutes(6);
    static final String FAILED_CREATE = "FailedCreate";
    private static final Logger LOG = Logger.getLogger(PodCreationFailures.class);

    private final KubernetesClient client;
    private final Clock clock;

    @Inject
    public PodCreationFailures(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The message of the latest recent FailedCreate Event of the job's StatefulSet, if any. */
    public Optional<String> latest(StreamJob job) {
        String ns = job.getMetadata().getNamespace();
        String sts = JobObjects.statefulSet(job);
        try {
            Instant since = clock.instant().minus(RECENT);
            // Only asked while pods are missing. No field selector: the API server has them for events, but the
            // Fabric8 mock server the tests run against answers nothing to them; the filter below does the work.
            return client.v1().events().inNamespace(ns)
                    .list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && "StatefulSet".equals(e.getInvolvedObject().getKind())
                            && sts.equals(e.getInvolvedObject().getName()) && FAILED_CREATE.equals(e.getReason()))
                    .filter(e -> time(e) != null && !time(e).isBefore(since))
                    .max(Comparator.comparing(PodCreationFailures::time))
                    .map(Event::getMessage)
                    .filter(Objects::nonNull);
        } catch (KubernetesClientException e) {
            LOG.debugf("cannot read events of statefulset %s/%s: %s", ns, sts, e.getMessage());
            return Optional.empty();
        }
    }

    private static Instant time(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : e.getFirstTimestamp();
        if (t == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
