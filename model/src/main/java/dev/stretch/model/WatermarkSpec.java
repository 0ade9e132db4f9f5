package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/**
 * How a source's event time advances.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WatermarkSpec {
    @JsonPropertyDescription("Record field holding the event time in epoch milliseconds (files; generators set `ts`).")
    private String timestampField;

    @JsonPropertyDescription("How late a record may arrive and still be processed in order, e.g. 500ms; later records are counted and dropped.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String maxOutOfOrderness;

    @JsonPropertyDescription("Mark a split (a file, a generator split, a Kafka partition) idle after it has been silent this long, e.g. 30s, so it stops holding back the windows downstream (as Flink's withIdleness). Off by default: with it, output can depend on timing; a record of a split that resumes behind the others is late.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String idleTimeout;

    public String getTimestampField() {
        return timestampField;
    }

    public void setTimestampField(String timestampField) {
        this.timestampField = timestampField;
    }

    public String getMaxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    public void setMaxOutOfOrderness(String maxOutOfOrderness) {
        this.maxOutOfOrderness = maxOutOfOrderness;
    }

    public String getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(String idleTimeout) {
        this.idleTimeout = idleTimeout;
    }
}
