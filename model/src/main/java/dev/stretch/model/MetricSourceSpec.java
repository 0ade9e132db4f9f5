package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where the autoscaler reads metrics.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.type) || self.type != 'prometheus' || has(self.url)", message = "a prometheus metric source needs a url")
public class MetricSourceSpec {
    @JsonPropertyDescription("direct (scrape the pods) or prometheus (PromQL).")
    private MetricSourceType type;

    @JsonPropertyDescription("Prometheus base URL (type prometheus).")
    private String url;

    public MetricSourceType getType() {
        return type;
    }

    public void setType(MetricSourceType type) {
        this.type = type;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }
}
