package dev.stretch.model;

import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.List;

/**
 * The desired state of a stream job: what it computes (a declarative {@code pipeline} or a user {@code
 * application}), how it runs (engine settings, parallelism bounds, autoscaling) and, on Kubernetes,
 * its pods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.pipeline), has(self.application)].filter(x, x).size() == 1", message = "set exactly one of pipeline and application")
public class StreamJobSpec {
    @JsonPropertyDescription("Declarative pipeline of built-in operators, in order (at most 64 stages). Each stage reads the previous one unless it names its inputs in `from`.")
    @Size(min = 2, max = 64)
    private List<PipelineStage> pipeline;

    @JsonPropertyDescription("A user Java class implementing the job API, instead of a pipeline.")
    private ApplicationSpec application;

    @JsonPropertyDescription("Engine settings: execution mode, key groups, error policy.")
    private EngineSpec engine;

    @JsonPropertyDescription("Bounds and initial values for threads per operator per pod and for pods.")
    private ParallelismSpec parallelism;

    @JsonPropertyDescription("Desired number of pods (the target of the scale subresource: kubectl scale, HPA, KEDA); 0 stops the job and keeps its definition. Default 1; the operator clamps it to parallelism.pods [min, max].")
    @SpecReplicas
    @Min(0)
    @Max(1024)
    private Integer replicas;

    @JsonPropertyDescription("How the job scales itself: threads inside pods first, then pods.")
    private AutoscalingSpec autoscaling;

    @JsonPropertyDescription("Kafka client settings shared by the job's Kafka sources and sinks.")
    private KafkaSpec kafka;

    @JsonPropertyDescription("Container image of the job's pods.")
    @Pattern("^[A-Za-z0-9][A-Za-z0-9._/:@-]*$")
    @Size(max = 512)
    private String image;

    @JsonPropertyDescription("Image pull policy of the job's pods.")
    private ImagePullPolicy imagePullPolicy;

    @JsonPropertyDescription("CPU and memory requests and limits of each pod.")
    private ResourcesSpec resources;

    @JsonPropertyDescription("Overrides for the job's pods: labels, annotations, scheduling, service account.")
    private PodTemplateSpec podTemplate;

    @JsonPropertyDescription("When true the job's pods are removed; its definition and status are kept.")
    private Boolean suspend;

    public List<PipelineStage> getPipeline() {
        return pipeline;
    }

    public void setPipeline(List<PipelineStage> pipeline) {
        this.pipeline = pipeline;
    }

    public ApplicationSpec getApplication() {
        return application;
    }

    public void setApplication(ApplicationSpec application) {
        this.application = application;
    }

    public EngineSpec getEngine() {
        return engine;
    }

    public void setEngine(EngineSpec engine) {
        this.engine = engine;
    }

    public ParallelismSpec getParallelism() {
        return parallelism;
    }

    public void setParallelism(ParallelismSpec parallelism) {
        this.parallelism = parallelism;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public AutoscalingSpec getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(AutoscalingSpec autoscaling) {
        this.autoscaling = autoscaling;
    }

    public KafkaSpec getKafka() {
        return kafka;
    }

    public void setKafka(KafkaSpec kafka) {
        this.kafka = kafka;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public ImagePullPolicy getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public ResourcesSpec getResources() {
        return resources;
    }

    public void setResources(ResourcesSpec resources) {
        this.resources = resources;
    }

    public PodTemplateSpec getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(PodTemplateSpec podTemplate) {
        this.podTemplate = podTemplate;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }
}
