package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
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
    @Size(max = 2048)
    private String url;

    @JsonPropertyDescription("PromQL overrides (type prometheus); unset ones are built from the runtime's metric names.")
    private MetricQueriesSpec queries;

    @JsonPropertyDescription("How often the operator collects and decides (default 500ms for direct, 5s for prometheus).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String interval;

    @JsonPropertyDescription("Range of the PromQL rate functions (type prometheus, default 30s; at least two scrape intervals).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String rateWindow;

    public MetricSourceType getType() {
        return type;
    }

    public void setType(MetricSourceType type) {
        this.type = type;
    }

    public MetricQueriesSpec getQueries() {
        return queries;
    }

    public void setQueries(MetricQueriesSpec queries) {
        this.queries = queries;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getRateWindow() {
        return rateWindow;
    }

    public void setRateWindow(String rateWindow) {
        this.rateWindow = rateWindow;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }
}
