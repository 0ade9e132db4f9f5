package dev.stretch.operator.dependent;

import dev.stretch.operator.JobObjects;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Secret {@code <job>-control}: the bearer token that guards the pods' control API ({@code PUT /v1/parallelism}).
 *
 * <p>Created once and never updated by the operator: this dependent is a {@link Creator} without an updater, so JOSDK
 * only creates it when it is missing. Rotating the token: delete the Secret (it comes back with a new token) or
 * write a new {@code token} into it. Either reaches running pods without a restart: the Secret is deliberately not
 * immutable (a kubelet stops watching immutable Secrets), so the kubelet rewrites the mounted file within its sync
 * period (about a minute), and {@code stretch pod} reads the file on every control request. The token is 32 random
 * bytes, base64url without padding; neither this class nor the operator logs it.
 */
@KubernetesDependent(informer = @Informer(labelSelector = JobObjects.MANAGED_SELECTOR))
public class ControlTokenSecretDependent extends KubernetesDependentResource<Secret, StreamJob>
        implements Creator<Secret, StreamJob>, GarbageCollected<StreamJob> {
    static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    protected Secret desired(StreamJob job, Context<StreamJob> context) {
        byte[] raw = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return new SecretBuilder()
                .withMetadata(JobObjects.metadata(job, JobObjects.secret(job)))
                .withType("Opaque")
                // .data, not .stringData: only a real API server folds stringData into data
                .withData(Map.of(JobObjects.TOKEN_KEY,
                        Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    /**
     * The Secret's identity without computing {@link #desired}: JOSDK's default asks {@code desired()} for the
     * name on every reconcile, which would draw (and throw away) a token each time.
     */
    @Override
    protected ResourceID targetSecondaryResourceID(StreamJob job, Context<StreamJob> context) {
        return new ResourceID(JobObjects.secret(job), job.getMetadata().getNamespace());
    }

    @Override
    protected void addReferenceHandlingMetadata(Secret desired, StreamJob job) {
        JobObjects.addControllerReference(desired, job);
    }
}
