package dev.stretch.operator;

import dev.stretch.operator.status.PodStatusClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Beans the reconciler depends on, replaceable in tests. */
@Singleton
public class OperatorBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /** @param timeout how long a pod may take to answer GET /v1/status */
    @Produces
    @Singleton
    PodStatusClient podStatusClient(
            @ConfigProperty(name = "stretch.operator.pod-status-timeout", defaultValue = "2s") Duration timeout) {
        return new PodStatusClient(timeout);
    }
}
