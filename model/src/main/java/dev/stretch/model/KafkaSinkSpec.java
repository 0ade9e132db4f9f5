package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Records written to a Kafka topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSinkSpec {
    @JsonPropertyDescription("Topic to write (it must exist).")
    @Required
    @Size(min = 1, max = 249)
    private String topic;

    @JsonPropertyDescription("The key: raw (the text of one field, named by field) or json/csv (the fields named by columns). Default: no key.")
    private KafkaFormatSpec key;

    @JsonPropertyDescription("The value: json (default: the whole record), csv (columns) or raw (one field).")
    private KafkaFormatSpec value;

    @JsonPropertyDescription("ExactlyOnce (default: transactions carrying the input offsets) or AtLeastOnce.")
    private KafkaDelivery delivery;

    @JsonPropertyDescription("How often output is committed, e.g. 500ms (default 1s); read_committed readers see it then.")
    @io.fabric8.generator.annotation.Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String commitInterval;

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
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

    public KafkaDelivery getDelivery() {
        return delivery;
    }

    public void setDelivery(KafkaDelivery delivery) {
        this.delivery = delivery;
    }

    public String getCommitInterval() {
        return commitInterval;
    }

    public void setCommitInterval(String commitInterval) {
        this.commitInterval = commitInterval;
    }
}
