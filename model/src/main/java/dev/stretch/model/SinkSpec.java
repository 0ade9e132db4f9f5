package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where records go.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.stdout), has(self.file), has(self.kafka)].filter(x, x).size() == 1", message = "set exactly one of stdout, file and kafka")
public class SinkSpec {
    @JsonPropertyDescription("Standard output.")
    private StdoutSinkSpec stdout;

    @JsonPropertyDescription("A file.")
    private FileSinkSpec file;

    @JsonPropertyDescription("A Kafka topic, exactly once (transactions) by default.")
    private KafkaSinkSpec kafka;

    public KafkaSinkSpec getKafka() {
        return kafka;
    }

    public void setKafka(KafkaSinkSpec kafka) {
        this.kafka = kafka;
    }

    public StdoutSinkSpec getStdout() {
        return stdout;
    }

    public void setStdout(StdoutSinkSpec stdout) {
        this.stdout = stdout;
    }

    public FileSinkSpec getFile() {
        return file;
    }

    public void setFile(FileSinkSpec file) {
        this.file = file;
    }
}
