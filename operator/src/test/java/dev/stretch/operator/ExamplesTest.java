package dev.stretch.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.model.PipelineStage;
import dev.stretch.model.StreamJobReader;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.operator.kubelet.PodRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The examples apply to a cluster as they are, and write where a pod's output is kept: standard output or Kafka. */
class ExamplesTest {
    static Stream<Path> examples() throws IOException {
        return Files.list(PodRuntime.repositoryRoot().resolve("k8s-examples")).filter(p -> p.toString().endsWith(".yaml"))
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void writesToStandardOutputOrKafkaAndIsValid(Path example) throws IOException {
        StreamJobReader.Result r = StreamJobReader.read(Files.readString(example));
        assertThat(r.errors()).isEmpty();
        assertThat(StreamJobValidator.validate(r.manifest())).isEmpty();
        for (PipelineStage s : r.manifest().getSpec().getPipeline()) {
            if (s.getSink() != null) {
                assertThat(s.getSink().getFile()).as(example.getFileName() + " stage " + s.getName()
                        + ": a file sink writes to the pod's temporary disk, which is lost with the pod").isNull();
            }
        }
        var engine = r.manifest().getSpec().getEngine();
        assertThat(engine == null || engine.getDeadLetter() == null || engine.getDeadLetter().getFile() == null).isTrue();
    }
}
