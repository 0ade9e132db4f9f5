package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A source of records, read as independent splits.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.generator), has(self.file), has(self.kafka)].filter(x, x).size() == 1", message = "set exactly one of generator, file and kafka")
public class SourceSpec {
    @JsonPropertyDescription("Splits (independent sub-streams) of the source: its maximum number of threads.")
    @Min(1)
    @Max(1024)
    private Integer parallelism;

    @JsonPropertyDescription("Event time: which field holds it and how far out of order records may arrive.")
    private WatermarkSpec watermark;

    @JsonPropertyDescription("Synthetic records {ts, key, value} at a configurable rate.")
    private GeneratorSpec generator;

    @JsonPropertyDescription("Records from a file (JSON lines or CSV).")
    private FileSourceSpec file;

    @JsonPropertyDescription("Records from Kafka topics, partitions shared by the job's pods (a consumer group per job).")
    private KafkaSourceSpec kafka;

    public KafkaSourceSpec getKafka() {
        return kafka;
    }

    public void setKafka(KafkaSourceSpec kafka) {
        this.kafka = kafka;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }

    public WatermarkSpec getWatermark() {
        return watermark;
    }

    public void setWatermark(WatermarkSpec watermark) {
        this.watermark = watermark;
    }

    public GeneratorSpec getGenerator() {
        return generator;
    }

    public void setGenerator(GeneratorSpec generator) {
        this.generator = generator;
    }

    public FileSourceSpec getFile() {
        return file;
    }

    public void setFile(FileSourceSpec file) {
        this.file = file;
    }
}
