package dev.stretch.operator;

import dev.stretch.operator.status.JobEvent;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records core/v1 Events about a job (what {@code kubectl describe streamjob} and {@code kubectl get events} show).
 * Best effort: a failed Event is logged, never fails a reconcile. Deduplication is the caller's: the status logic
 * emits an Event only when something changed.
 */
@Singleton
public class JobEvents {
    public static final String COMPONENT = "stretch-operator";
    private static final Logger LOG = Logger.getLogger(JobEvents.class);
    private static final int MAX_MESSAGE = 1024;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final KubernetesClient client;
    private final Clock clock;
    private final String instance = System.getenv().getOrDefault("HOSTNAME", "local");

    @Inject
    public JobEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void record(HasMetadata regarding, JobEvent e) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = regarding.getMetadata().getNamespace();
        String message = e.message() == null ? "" : e.message().length() <= MAX_MESSAGE ? e.message()
                : e.message().substring(0, MAX_MESSAGE - 3) + "...";
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(regarding.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                        + Long.toHexString(SEQUENCE.incrementAndGet()))
                .withNamespace(ns)
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(regarding.getApiVersion())
                .withKind(regarding.getKind())
                .withName(regarding.getMetadata().getName())
                .withNamespace(ns)
                .withUid(regarding.getMetadata().getUid())
                .withResourceVersion(regarding.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(e.warning() ? "Warning" : "Normal")
                .withReason(e.reason())
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withReportingInstance(instance)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(ns).resource(event).create();
        } catch (RuntimeException ex) {
            LOG.warnf("could not record event %s on %s/%s: %s", e.reason(), ns, regarding.getMetadata().getName(),
                    ex.getMessage());
        }
    }
}
