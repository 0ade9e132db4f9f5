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

    @JsonPropertyDescription("Secret whose keys are Kafka client properties (security.protocol, sasl.jaas.config, ssl.*), mounted in the pods at /etc/stretch/kafka; values never appear in the job.")
    @io.fabric8.generator.annotation.Size(min = 1, max = 253)
    private String secret;

    public String getSecret() {
        return secret;
    }

    public void setSecret(String secret) {
        this.secret = secret;
    }

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
