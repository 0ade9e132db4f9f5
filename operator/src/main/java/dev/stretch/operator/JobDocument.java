package dev.stretch.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stretch.model.ObjectMetadata;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobReader;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.operator.customresource.StreamJob;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The job document a pod runs: the StreamJob as a user would write it for {@code stretch run}
 * (apiVersion, kind, metadata name and namespace, spec; no status, labels or annotations), as YAML, and the
 * checksum of the job's definition that the pod template carries.
 */
public final class JobDocument {
    /** Map keys sorted: the same spec always renders to the same bytes, so the checksum only moves with the spec. */
    private static final ObjectMapper YAML = StreamJobReader.yamlMapper()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private JobDocument() {
    }

    public static StreamJobManifest manifest(StreamJob job) {
        StreamJobManifest m = new StreamJobManifest();
        m.setApiVersion(StreamJobManifest.API_VERSION);
        m.setKind(StreamJobManifest.KIND);
        ObjectMetadata meta = new ObjectMetadata();
        meta.setName(job.getMetadata().getName());
        meta.setNamespace(job.getMetadata().getNamespace());
        m.setMetadata(meta);
        m.setSpec(job.getSpec());
        return m;
    }

    /** The {@code job.yaml} of the job's ConfigMap. */
    public static String yaml(StreamJob job) {
        try {
            return YAML.writeValueAsString(manifest(job));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the job document of " + job.getMetadata().getName(), e);
        }
    }

    /**
     * SHA-256 (hex) of the job's definition: the document without the pod-count fields ({@code spec.replicas},
     * {@code spec.suspend}). Pods learn their count from the topology ConfigMap, so scaling or suspending does not
     * count as a new definition, and resuming returns to the same pod template.
     */
    public static String checksum(StreamJob job) {
        StreamJobManifest m = manifest(job);
        StreamJobSpec definition = YAML.convertValue(job.getSpec(), StreamJobSpec.class);
        definition.setReplicas(null);
        definition.setSuspend(null);
        m.setSpec(definition);
        try {
            return sha256(YAML.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the job document of " + job.getMetadata().getName(), e);
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
