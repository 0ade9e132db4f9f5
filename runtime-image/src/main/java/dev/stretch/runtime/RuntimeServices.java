package dev.stretch.runtime;

import dev.stretch.api.DeadLetter;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.api.Sink;
import dev.stretch.model.AutoscalingMode;
import dev.stretch.model.AutoscalingSpec;
import dev.stretch.model.RecordSchema;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.SourceSpec;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.runtime.autoscale.LocalAutoscaler;
import dev.stretch.runtime.connect.BuiltInSource;
import dev.stretch.runtime.connect.Connectors;
import dev.stretch.runtime.connect.SplitOwnership;
import dev.stretch.runtime.kafka.KafkaConnectors;
import dev.stretch.runtime.kafka.KafkaJob;
import dev.stretch.runtime.topology.PodTopology;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.runtime.http.RuntimeHttpServer;
import dev.stretch.runtime.pipeline.ConnectorFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Wires the runtime's parts (connectors, HTTP, autoscaler) for the commands. */
public final class RuntimeServices {
    private RuntimeServices() {
    }

    /** The built-in connectors for a process that emits the source records {@code ownership} gives it. */
    public static ConnectorFactory connectors(long jobStartMillis, SplitOwnership ownership) {
        return new ConnectorFactory() {
            @Override
            public SourceBinding source(SourceSpec spec, String stageName) {
                BuiltInSource s = Connectors.source(spec, 1, jobStartMillis, ownership);
                RecordSchema schema = spec.getGenerator() != null ? RecordSchema.generator() : RecordSchema.open();
                return new SourceBinding(s.source(), s.watermarks(), s.parallelism(), schema);
            }

            @Override
            public Sink<Object> sink(SinkSpec spec, String stageName) {
                return Connectors.sink(spec);
            }

            @Override
            public Sink<DeadLetter> deadLetters(SinkSpec spec) {
                return Connectors.deadLetters(spec);
            }
        };
    }

    /**
     * The connectors of {@code manifest} in the pod {@code topology} describes: with Kafka stages, a
     * {@link KafkaConnectors} that keeps the job's consumer and producers for the life of the process.
     */
    public static ConnectorFactory connectors(StreamJobManifest manifest, long jobStartMillis, PodTopology topology) {
        ConnectorFactory base = connectors(jobStartMillis, topology.ownership());
        return KafkaConnectors.uses(manifest) ? new KafkaConnectors(manifest, topology, base) : base;
    }

    /**
     * Once the job runs: Kafka partition moves restart its engine, and a pod-count change that leaves this pod
     * out hands its partitions over at once. Returns what to close on the way out.
     */
    public static AutoCloseable wireKafka(ConnectorFactory connectors, JobProcess process, PodTopology topology) {
        if (!(connectors instanceof KafkaConnectors kc)) {
            return () -> { };
        }
        kc.job().ifPresent(j -> {
            j.attach(new KafkaJob.Engine() {
                @Override
                public void stop() {
                    process.stopEngine();
                }

                @Override
                public void start() throws Exception {
                    process.startEngine();
                }
            });
            topology.onChange(j::onTopologyChange);
        });
        return kc;
    }

    /** The built-in connectors for a single process ({@code stretch run}). */
    public static ConnectorFactory connectors(long jobStartMillis) {
        return connectors(jobStartMillis, SplitOwnership.ALL);
    }

    /** Starts the HTTP endpoints for {@code job} (control disabled when {@code tokenFile} is null). */
    public static RuntimeHttpServer http(JobHandle job, InetSocketAddress bind, Path tokenFile) throws IOException {
        RuntimeHttpServer server = new RuntimeHttpServer(job, bind, Optional.ofNullable(tokenFile));
        server.start();
        return server;
    }

    /** Starts the in-process autoscaler for {@code job}. */
    public static AutoCloseable autoscaler(JobProcess job, StreamJobSpec spec,
            BiConsumer<ReconfigurationResult, String> onChange) {
        LocalAutoscaler a = new LocalAutoscaler(job, spec.getAutoscaling(), InstantSource.system(), onChange);
        if (LocalAutoscaler.acts(spec.getAutoscaling())) {
            job.attach(a); // in Recommend mode it changes nothing, so there is nothing to hold
        }
        return a;
    }

    /**
     * Whether this process runs its own autoscaler: never when the job says {@code mode: Off}; as the job's
     * {@code inProcess} says when set; otherwise yes for {@code stretch run} and no in a pod (where the
     * operator decides).
     */
    public static boolean autoscaleByDefault(StreamJobSpec spec, boolean local) {
        AutoscalingSpec a = spec.getAutoscaling();
        if (a != null && a.getMode() == AutoscalingMode.OFF) {
            return false;
        }
        if (a != null && a.getInProcess() != null) {
            return a.getInProcess();
        }
        return local;
    }
}
