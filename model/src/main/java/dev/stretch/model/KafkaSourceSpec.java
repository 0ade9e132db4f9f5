package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Records from Kafka topics. The job's pods share the topics' partitions through one consumer group; each
 * partition is one split of the source. Event time is the record's timestamp unless
 * {@code watermark.timestampField} names a field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSourceSpec {
    @JsonPropertyDescription("Topics to read.")
    @Required
    @Size(min = 1, max = 16)
    private List<@Size(min = 1, max = 249) String> topics;

    @JsonPropertyDescription("The record key's encoding (default: raw, in field 'key'). The key is also what the topic is partitioned by.")
    private KafkaFormatSpec key;

    @JsonPropertyDescription("The record value's encoding (default: json).")
    private KafkaFormatSpec value;

    @JsonPropertyDescription("Where a partition without committed offsets starts: earliest (default) or latest.")
    @io.fabric8.generator.annotation.Pattern("^(earliest|latest)$")
    private String startFrom;

    @JsonPropertyDescription("Topic for records that cannot be decoded or lack their event time, with the reason in headers (default: the job's dead-letter output only).")
    @Size(min = 1, max = 249)
    private String deadLetterTopic;

    public List<String> getTopics() {
        return topics;
    }

    public void setTopics(List<String> topics) {
        this.topics = topics;
    }

    public KafkaFormatSpec getKey() {
        return key;
    }

    public void setKey(KafkaFormatSpec key) {
        this.key = key;
    }

    public KafkaFormatSpec getValue() {
        return value;
    }

    public void setValue(KafkaFormatSpec value) {
        this.value = value;
    }

    public String getStartFrom() {
        return startFrom;
    }

    public void setStartFrom(String startFrom) {
        this.startFrom = startFrom;
    }

    public String getDeadLetterTopic() {
        return deadLetterTopic;
    }

    public void setDeadLetterTopic(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }
}
