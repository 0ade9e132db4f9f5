package dev.stretch.operator.monitoring;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The Prometheus Operator's {@code monitoring.coreos.com/v1 PodMonitor}, reduced to the fields the operator sets.
 * Typed rather than a generic resource: JOSDK builds an informer for an activation-gated dependent even while the
 * CRD is absent, and a generic informer then fails on API discovery.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("PodMonitor")
@Plural("podmonitors")
public class PodMonitor extends CustomResource<PodMonitorSpec, Void> implements Namespaced {
}
