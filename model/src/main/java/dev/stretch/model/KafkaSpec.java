package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/**
 * Kafka client settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaSpec {
    @JsonPropertyDescription("host:port list of brokers.")
    private String bootstrapServers;

    @JsonPropertyDescription("Consumer group of the job's pods (default: the job name).")
    private String consumerGroup;

    @JsonPropertyDescription("Extra Kafka client properties.")
    private Map<String, String> properties;

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public Map<String, String> getProperties() {
        return properties;
    }

    public void setProperties(Map<String, String> properties) {
        this.properties = properties;
    }
}
