package dev.stretch.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules the CRD gives an API server hold locally too, so a file that `stretch validate` accepts is one
 * `kubectl apply` accepts: quantities as the CRD admits them, size bounds, required fields, the job-name rule and
 * `replicas` defaulting to 1.
 */
class ClusterSchemaRulesTest {
    static final String JOB = """
            apiVersion: stretch.dev/v1alpha1
            kind: StreamJob
            metadata: {name: %s}
            spec:
              resources: {requests: {cpu: %s, memory: 1Gi}}
              pipeline:
                - name: in
                  source: {generator: {keys: 10}}
                - name: out
                  sink: {stdout: {}}
            """;

    static StreamJobReader.Result read(String name, String cpu) {
        return StreamJobReader.read(JOB.formatted(name, cpu));
    }

    @Test
    void aWholeNumberQuantityIsReadAsTheApiServerAdmitsIt() {
        StreamJobReader.Result r = read("a", "2");
        assertThat(r.errors()).isEmpty();
        assertThat(r.manifest().getSpec().getResources().getRequests()).containsEntry("cpu", "2");
        assertThat(StreamJobValidator.validate(r.manifest())).isEmpty();
    }

    @Test
    void aFractionalNumberQuantityIsRefusedAsTheApiServerRefusesIt() {
        StreamJobReader.Result r = read("a", "0.5");
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("spec.resources.requests.cpu");
            assertThat(e.message()).contains("not a Kubernetes quantity").contains("\"500m\"");
        });
        assertThat(read("a", "\"0.5\"").errors()).isEmpty();
        assertThat(StreamJobValidator.validate(read("a", "500x").manifest()))
                .anySatisfy(e -> assertThat(e.path()).isEqualTo("spec.resources.requests.cpu"));
    }

    @Test
    void namesThatCannotNameAServiceAreRefused() {
        assertThat(StreamJobValidator.validate(read("1st", "1").manifest()))
                .anySatisfy(e -> assertThat(e.path()).isEqualTo("metadata.name"));
        assertThat(StreamJobValidator.validate(read("first", "1").manifest())).isEmpty();
    }

    @Test
    void sizeBoundsAndRequiredFieldsAreChecked() {
        StreamJobReader.Result r = read("a", "1");
        PipelineStage only = r.manifest().getSpec().getPipeline().get(0);
        r.manifest().getSpec().setPipeline(List.of(only));
        List<FieldError> errors = StreamJobValidator.validate(r.manifest());
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path()).isEqualTo("spec.pipeline");
            assertThat(e.message()).isEqualTo("must have at least 2 items, has 1");
        });
        WindowStageSpec w = new WindowStageSpec();
        PipelineStage window = new PipelineStage();
        window.setName("w");
        window.setWindow(w);
        r.manifest().getSpec().setPipeline(List.of(only, window, read("a", "1").manifest().getSpec().getPipeline().get(1)));
        assertThat(StreamJobValidator.validate(r.manifest())).extracting(FieldError::toString)
                .contains("spec.pipeline[1].window.keyBy: required (or keyByEach, a list field whose elements are the record's keys)",
                        "spec.pipeline[1].window.size: required",
                        "spec.pipeline[1].window.aggregate: required");
    }

    @Test
    void replicasDefaultToOneAndPodsInitialIsRefused() {
        StreamJobReader.Result r = read("a", "1");
        assertThat(Defaults.replicas(r.manifest().getSpec())).isEqualTo(1);
        ParallelismSpec p = new ParallelismSpec();
        Bounds pods = new Bounds();
        pods.setInitial(2);
        p.setPods(pods);
        r.manifest().getSpec().setParallelism(p);
        assertThat(StreamJobValidator.validate(r.manifest())).extracting(FieldError::toString)
                .contains("spec.parallelism: pods.initial is not used: the pod count is spec.replicas (default 1)");
    }
}
