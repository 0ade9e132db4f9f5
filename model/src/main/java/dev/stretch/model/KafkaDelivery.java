package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a Kafka sink guarantees. */
public enum KafkaDelivery {
    /** Output and input offsets committed in one transaction: read_committed consumers see each result once. */
    @JsonProperty("ExactlyOnce")
    EXACTLY_ONCE,
    /** No transactions: offsets are committed after the output is acknowledged; a failure can repeat output. */
    @JsonProperty("AtLeastOnce")
    AT_LEAST_ONCE
}
