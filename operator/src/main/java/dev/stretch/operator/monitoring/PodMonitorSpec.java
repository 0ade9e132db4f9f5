package dev.stretch.operator.monitoring;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** The part of a PodMonitor's spec the operator sets: which pods, which port and path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodMonitorSpec {
    private LabelSelector selector;
    private List<Endpoint> podMetricsEndpoints;

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public List<Endpoint> getPodMetricsEndpoints() {
        return podMetricsEndpoints;
    }

    public void setPodMetricsEndpoints(List<Endpoint> podMetricsEndpoints) {
        this.podMetricsEndpoints = podMetricsEndpoints;
    }

    /** One scraped endpoint of each selected pod. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Endpoint {
        private String port;
        private String path;
        private String interval;
        private Boolean honorLabels;

        public Endpoint() {
        }

        public Endpoint(String port, String path, String interval, Boolean honorLabels) {
            this.port = port;
            this.path = path;
            this.interval = interval;
            this.honorLabels = honorLabels;
        }

        /** Whether a label the pod exports wins over the target label of the same name Prometheus adds. */
        public Boolean getHonorLabels() {
            return honorLabels;
        }

        public void setHonorLabels(Boolean honorLabels) {
            this.honorLabels = honorLabels;
        }

        public String getPort() {
            return port;
        }

        public void setPort(String port) {
            this.port = port;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getInterval() {
            return interval;
        }

        public void setInterval(String interval) {
            this.interval = interval;
        }
    }
}
