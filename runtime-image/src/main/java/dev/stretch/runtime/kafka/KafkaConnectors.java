package dev.stretch.runtime.kafka;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.Sink;
import dev.stretch.model.RecordSchema;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.runtime.connect.Connectors;
import dev.stretch.runtime.pipeline.ConnectorFactory;
import dev.stretch.runtime.topology.PodTopology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The connectors of a job whose pipeline has Kafka stages, kept for the life of the process: the job's
 * consumer ({@link KafkaJob}) and the sinks' producers survive the engine restarts that partition moves
 * cause; everything else comes from {@code fallback}.
 */
public final class KafkaConnectors implements ConnectorFactory, AutoCloseable {
    private final StreamJobManifest manifest;
    private final PodTopology topology;
    private final ConnectorFactory fallback;
    private KafkaJob job;
    private final Map<String, KafkaSink> sinks = new LinkedHashMap<>();

    public KafkaConnectors(StreamJobManifest manifest, PodTopology topology, ConnectorFactory fallback) {
        KafkaJob.quietKafkaLogs();
        this.manifest = manifest;
        this.topology = topology;
        this.fallback = fallback;
    }

    /** The producers first (see {@link KafkaSink#create}), then the consumer. */
    private void startKafka(SourceSpec spec) {
        for (var st : manifest.getSpec().getPipeline()) {
            if (st != null && st.getSink() != null && st.getSink().getKafka() != null) {
                String name = dev.stretch.model.StreamJobValidator.stageNames(manifest.getSpec().getPipeline())
                        .get(manifest.getSpec().getPipeline().indexOf(st));
                newSink(st.getSink(), name);
            }
        }
        job = KafkaJob.start(manifest, spec, topology);
        KafkaSink.Committer attached = null;
        for (KafkaSink s : sinks.values()) {
            s.committer().bind(job);
            if (attached == null || (!attached.exactlyOnce() && s.committer().exactlyOnce())) {
                attached = s.committer();
            }
        }
        if (attached != null) {
            job.attach(attached);
        }
    }

    private KafkaSink newSink(SinkSpec spec, String stageName) {
        return sinks.computeIfAbsent(stageName, n -> {
            String group = manifest.getSpec().getKafka() != null && manifest.getSpec().getKafka().getConsumerGroup() != null
                    ? manifest.getSpec().getKafka().getConsumerGroup() : manifest.name();
            return KafkaSink.create(spec.getKafka(), clientProperties(), group + "-" + topology.ordinal() + "-" + n);
        });
    }

    /** Whether the job has Kafka stages. */
    public static boolean uses(StreamJobManifest m) {
        if (m.getSpec().getPipeline() == null) {
            return false;
        }
        return m.getSpec().getPipeline().stream().anyMatch(s -> s != null
                && ((s.getSource() != null && s.getSource().getKafka() != null)
                || (s.getSink() != null && s.getSink().getKafka() != null)));
    }

    /** The job's consumer, once its source has been built. */
    public synchronized Optional<KafkaJob> job() {
        return Optional.ofNullable(job);
    }

    /** The Kafka sinks built so far, by stage name. */
    public synchronized Map<String, KafkaSink> sinks() {
        return Map.copyOf(sinks);
    }

    @Override
    public synchronized SourceBinding source(SourceSpec spec, String stageName) {
        if (spec.getKafka() == null) {
            return fallback.source(spec, stageName);
        }
        if (job == null) {
            startKafka(spec);
        }
        String tsField = spec.getWatermark() == null ? null : spec.getWatermark().getTimestampField();
        return new SourceBinding(new KafkaSource(job, tsField), Connectors.watermarks(spec.getWatermark()), job.splits(),
                RecordSchema.open());
    }

    @Override
    public synchronized Sink<Object> sink(SinkSpec spec, String stageName) {
        if (spec.getKafka() == null) {
            return fallback.sink(spec, stageName);
        }
        return newSink(spec, stageName);
    }

    private Map<String, Object> clientProperties() {
        Map<String, Object> m = new LinkedHashMap<>();
        var k = manifest.getSpec().getKafka();
        if (k != null && k.getBootstrapServers() != null) {
            m.put("bootstrap.servers", k.getBootstrapServers());
        }
        if (k != null && k.getProperties() != null) {
            m.putAll(k.getProperties());
        }
        m.putAll(KafkaSecrets.properties());
        String bootstrap = System.getenv("STRETCH_KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap != null && !bootstrap.isBlank()) {
            m.put("bootstrap.servers", bootstrap); // the environment's brokers win over the job file's
        }
        return m;
    }

    @Override
    public Sink<DeadLetter> deadLetters(SinkSpec spec) {
        return fallback.deadLetters(spec);
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>();
        if (job != null) {
            all.add(job);
        }
        sinks.values().forEach(s -> all.add(s.committer()));
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort on the way out
            }
        }
    }
}
