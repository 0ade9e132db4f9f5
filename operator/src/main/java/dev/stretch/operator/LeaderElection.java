package dev.stretch.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Leader election, so that two operator replicas (a rolling upgrade, or a standby) never reconcile at once. QOSDK
 * uses this bean only in the profiles listed in {@code quarkus.operator-sdk.activate-leader-election-for-profiles}
 * (build time; {@code prod}). The lease lives in the operator's namespace; the holder identity is the pod name.
 */
@Singleton
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);
    private static volatile boolean shuttingDown;

    /** Runs before QOSDK stops the operator, whose shutdown also reports "stopped leading". */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        shuttingDown = true;
    }

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "stretch.operator.lease-name", defaultValue = "stretch-operator-lease") String lease) {
        return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease)
                .withLeaseDuration(Duration.ofSeconds(15))
                .withRenewDeadline(Duration.ofSeconds(10))
                .withRetryPeriod(Duration.ofSeconds(2))
                // JOSDK 5.3.2's build() does not exit when leadership is lost (and withExitOnStopLeading throws):
                // a replica that lost its lease would go on reconciling next to the new leader. Exit instead;
                // Kubernetes restarts the pod as a follower.
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> LOG.info("leading: reconciling StreamJobs"),
                        () -> {
                            if (!shuttingDown) {
                                LOG.error("lost the leader lease; exiting so a single replica reconciles");
                                Quarkus.asyncExit(1);
                            }
                        },
                        leader -> LOG.infof("leader is %s", leader)))
                .build();
    }
}
