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
    /** The job's repartition (null: none), planned before anything starts. */
    private final Repartition repartition;
    /** The repartition topic's sink, once the consumer has started. */
    private KafkaSink repartitionSink;
    /** The input source of the engine run being built (its repartition source shares its assignment). */
    private KafkaSource lastSource;

    /**
     * @throws IllegalArgumentException naming the stage when a keyed stage's records cannot be brought together
     *     across pods (see {@link Repartition#plan})
     */
    public KafkaConnectors(StreamJobManifest manifest, PodTopology topology, ConnectorFactory fallback) {
        KafkaJob.quietKafkaLogs();
        this.manifest = manifest;
        this.topology = topology;
        this.fallback = fallback;
        this.repartition = Repartition.plan(manifest).orElse(null);
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
        if (repartition != null) {
            // the repartition's producer too, before the consumer joins (it fences a former process of this pod)
            repartitionSink = KafkaSink.create(repartitionSpec(), clientProperties(),
                    group() + "-" + topology.ordinal() + "-" + repartition.stage() + "-repartition");
        }
        job = KafkaJob.start(manifest, spec, topology, repartition);
        // the output sink commits the offsets of the partitions its results come from: the input's, or with a
        // repartition the repartition topic's, whose own sink commits the input's in its transactions
        int from = repartition == null ? 0 : job.inputSplits();
        KafkaSink.Committer attached = null;
        for (KafkaSink s : sinks.values()) {
            s.committer().bind(job, from, job.splits());
            if (attached == null || (!attached.exactlyOnce() && s.committer().exactlyOnce())) {
                attached = s.committer();
            }
        }
        if (attached != null) {
            job.attach(attached);
        }
        if (repartitionSink != null) {
            KafkaSink.Committer c = repartitionSink.committer();
            c.bind(job, 0, job.inputSplits());
            c.carryWatermarks(repartition.topic(), job.repartitionSplits());
            job.attach(c);
        }
    }

    private String group() {
        return manifest.getSpec().getKafka() != null && manifest.getSpec().getKafka().getConsumerGroup() != null
                ? manifest.getSpec().getKafka().getConsumerGroup() : manifest.name();
    }

    /**
     * The repartition topic's records: keyed by the stage's key field (raw: its text, so Kafka's partitioner puts
     * each key in one partition), the whole record as JSON, exactly once; committed as often as the job's Kafka
     * sinks commit (the fastest of them; default 1 s).
     */
    private dev.stretch.model.KafkaSinkSpec repartitionSpec() {
        dev.stretch.model.KafkaSinkSpec r = new dev.stretch.model.KafkaSinkSpec();
        r.setTopic(repartition.topic());
        dev.stretch.model.KafkaFormatSpec k = new dev.stretch.model.KafkaFormatSpec();
        k.setFormat(dev.stretch.model.KafkaFormat.RAW);
        k.setField(repartition.keyField());
        r.setKey(k);
        r.setDelivery(dev.stretch.model.KafkaDelivery.EXACTLY_ONCE);
        java.time.Duration interval = null;
        for (var st : manifest.getSpec().getPipeline()) {
            if (st != null && st.getSink() != null && st.getSink().getKafka() != null
                    && st.getSink().getKafka().getCommitInterval() != null) {
                java.time.Duration d = dev.stretch.model.Durations.parse(st.getSink().getKafka().getCommitInterval());
                interval = interval == null || d.compareTo(interval) < 0 ? d : interval;
            }
        }
        if (interval != null) {
            r.setCommitInterval(interval.toMillis() + "ms");
        }
        return r;
    }

    /** The job's repartition, if it has one. */
    public Optional<Repartition> repartition() {
        return Optional.ofNullable(repartition);
    }

    /** The repartition topic's sink, once started. */
    public synchronized Optional<KafkaSink> repartitionSink() {
        return Optional.ofNullable(repartitionSink);
    }

    private KafkaSink newSink(SinkSpec spec, String stageName) {
        return sinks.computeIfAbsent(stageName, n -> {
                return KafkaSink.create(spec.getKafka(), clientProperties(), group() + "-" + topology.ordinal() + "-" + n);
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
        lastSource = new KafkaSource(job, tsField);
        return new SourceBinding(lastSource, Connectors.watermarks(spec.getWatermark()), lastSource.splits(),
                RecordSchema.open());
    }

    /**
     * The repartition of the stage {@code stageName}, if the plan has one there: {@code in} goes to the repartition
     * topic (a sink stage of its own, so that its records reach it in event-time order with the watermark) and the
     * stream read back from the topic is returned, its records keyed by the stage's key in the partition they come
     * from. Null when the stage reads {@code in} as it is.
     */
    @Override
    public synchronized dev.stretch.api.DataStream<Map<String, Object>> repartition(dev.stretch.api.StreamEnvironment env,
            dev.stretch.api.DataStream<Map<String, Object>> in, String stageName) {
        if (repartition == null || !repartition.stage().equals(stageName) || job == null || lastSource == null) {
            return null;
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        Sink<Map<String, Object>> sink = (Sink) repartitionSink;
        in.sinkTo(sink).name(stageName + "-repartition-out").disableChaining();
        KafkaSource back = KafkaSource.repartitioned(lastSource);
        dev.stretch.api.WatermarkStrategy<Map<String, Object>> wm =
                dev.stretch.api.WatermarkStrategy.forBoundedOutOfOrderness(KafkaSource.UNBOUNDED);
        return env.fromSource(back, wm, stageName + "-repartition-in").setParallelism(back.splits());
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
        if (repartitionSink != null) {
            all.add(repartitionSink.committer());
        }
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort on the way out
            }
        }
    }
}
