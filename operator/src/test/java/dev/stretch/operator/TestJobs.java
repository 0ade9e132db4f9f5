package dev.stretch.operator;

import dev.stretch.model.StreamJobReader;
import dev.stretch.operator.customresource.StreamJob;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** StreamJobs for tests, written as users write them: YAML. */
public final class TestJobs {
    /**
     * A small valid job: a generator, CEL map and filter stages, a keyed window, a stdout sink; 2 pods within
     * [1, 3], 2 threads per keyed operator.
     */
    public static final String CLICKS = """
            apiVersion: stretch.dev/v1alpha1
            kind: StreamJob
            metadata:
              name: clicks
            spec:
              replicas: 2
              parallelism:
                threads: {min: 1, max: 4, initial: 2}
                pods: {min: 1, max: 3}
              autoscaling: {mode: "Off"}
              pipeline:
                - name: events
                  source:
                    generator:
                      keys: 10
                      rate: {rate: 50}
                - name: doubled
                  map:
                    set: {double_value: "value * 2"}
                - name: big
                  filter: {expression: "double_value > 10"}
                - name: per-key
                  window:
                    keyBy: key
                    size: 1s
                    aggregate: {function: count}
                - name: out
                  sink:
                    stdout: {format: jsonl}
            """;

    /** Passes the CRD schema, fails the job validator: a broken CEL expression and an unknown key field. */
    public static final String BROKEN = """
            apiVersion: stretch.dev/v1alpha1
            kind: StreamJob
            metadata:
              name: broken
            spec:
              pipeline:
                - name: events
                  source:
                    generator: {keys: 10}
                - name: calc
                  map:
                    set: {doubled: "value *"}
                - name: per-user
                  window:
                    keyBy: user
                    size: 1s
                    aggregate: {function: count}
                - name: out
                  sink:
                    stdout: {}
            """;

    private TestJobs() {
    }

    /** The StreamJob resource of a job document, renamed and placed in a namespace. */
    public static StreamJob streamJob(String yaml, String name, String namespace) {
        StreamJobReader.Result r = StreamJobReader.read(yaml);
        if (!r.ok()) {
            throw new IllegalArgumentException("unreadable test job: " + r.errors());
        }
        StreamJob job = new StreamJob();
        job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        job.setSpec(r.manifest().getSpec());
        return job;
    }
}
