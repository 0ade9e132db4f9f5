package dev.stretch.runtime.cli;

import dev.stretch.model.StreamJobManifest;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import dev.stretch.runtime.topology.PodTopology;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stretch pod}: the container entrypoint. The job comes from the mounted ConfigMap, the control
 * token from the mounted Secret, the identity from the downward API; one HTTP port serves metrics, health,
 * status and control. The process stays up until it is told to stop (SIGTERM), also after a bounded job
 * has finished, so that Kubernetes does not run it again.
 */
@Command(name = "pod", mixinStandardHelpOptions = true, description = "Container entrypoint: runs the mounted job and serves HTTP on one port.")
final class PodCommand implements Callable<Integer> {
    @Option(names = "--job", description = "Job file (default: $STRETCH_JOB_FILE or /etc/stretch/job/job.yaml)")
    Path job;

    @Option(names = "--token-file", description = "Control token file (default: $STRETCH_TOKEN_FILE or /etc/stretch/token/token)")
    Path tokenFile;

    @Option(names = "--port", description = "HTTP port (default: $STRETCH_HTTP_PORT or 8080)")
    Integer port;

    @Option(names = "--bind", description = "HTTP bind address (default: $STRETCH_BIND_ADDRESS or 0.0.0.0)")
    String bind;

    @Option(names = "--pod-ordinal", description = "This pod's ordinal among the job's pods (default: the number at the end of $POD_NAME, else 0)")
    Integer podOrdinal;

    @Option(names = "--pods", description = "The job's pod count, fixed (default: read from the topology file and followed while running)")
    Integer pods;

    @Option(names = "--topology-file", description = "File holding the job's pod count, re-read while running (default: $STRETCH_TOPOLOGY_FILE; without it, 1 pod)")
    Path topologyFile;

    @Override
    public Integer call() throws Exception {
        Path jobFile = job != null ? job : Path.of(env("STRETCH_JOB_FILE", "/etc/stretch/job/job.yaml"));
        Path token = tokenFile != null ? tokenFile : Path.of(env("STRETCH_TOKEN_FILE", "/etc/stretch/token/token"));
        int httpPort = port != null ? port : Integer.parseInt(env("STRETCH_HTTP_PORT", "8080"));
        String address = bind != null ? bind : env("STRETCH_BIND_ADDRESS", "0.0.0.0");
        String podName = env("POD_NAME", env("HOSTNAME", "pod-0"));
        int ordinal;
        if (podOrdinal != null) {
            ordinal = podOrdinal;
        } else {
            java.util.OptionalInt fromName = PodTopology.ordinalOf(podName);
            ordinal = fromName.orElse(0);
        }
        if (ordinal < 0 || (pods != null && (pods < 1 || ordinal >= pods))) {
            System.err.println("pod ordinal " + ordinal + " and pod count " + pods
                    + " do not fit: need pods >= 1 and 0 <= ordinal < pods");
            return 2;
        }
        String topologyEnv = System.getenv("STRETCH_TOPOLOGY_FILE");
        Path countFile = topologyFile != null ? topologyFile
                : topologyEnv != null && !topologyEnv.isBlank() ? Path.of(topologyEnv) : null;
        JobFiles.Loaded l = JobFiles.load(jobFile);
        if (!l.ok()) {
            JobFiles.printErrors(jobFile, l.errors(), System.err);
            return 1;
        }
        StreamJobManifest m = l.manifest();
        PodTopology topology = pods != null || countFile == null ? PodTopology.fixed(podName, ordinal, pods == null ? 1 : pods)
                : PodTopology.watching(podName, ordinal, countFile, InstantSource.system());
        List<AutoCloseable> closers = new ArrayList<>();
        JobProcess p;
        dev.stretch.runtime.pipeline.ConnectorFactory connectors;
        try {
            connectors = RuntimeServices.connectors(m, System.currentTimeMillis(), topology);
            p = JobProcess.start(m, connectors, null, topology, 1000);
        } catch (IllegalArgumentException e) {
            // a job this runtime refuses (e.g. a keyed stage its pods cannot share) or a setting that does not work
            topology.close();
            System.err.println("job '" + m.name() + "' could not start: " + e.getMessage());
            return 1;
        } catch (Exception | Error e) {
            topology.close();
            throw e;
        }
        closers.add(RuntimeServices.wireKafka(connectors, p, topology));
        closers.add(0, p);
        dev.stretch.runtime.http.RuntimeHttpServer http = RuntimeServices.http(p,
                new InetSocketAddress(address, httpPort), Files.isReadable(token) ? token : null);
        closers.add(0, http);
        if (RuntimeServices.autoscaleByDefault(m.getSpec(), false)) {
            closers.add(0, RuntimeServices.autoscaler(p, m.getSpec(), (r, why) -> { }));
        }
        System.err.println("pod " + podName + " (ordinal " + ordinal + " of " + topology.count() + " pods"
                + (countFile != null && pods == null ? ", count from " + countFile : "") + ") running job '" + m.name()
                + "', http on " + address + ":" + http.port()
                + (Files.isReadable(token) ? "" : " (no token file at " + token + ": control disabled)"));
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : closers) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort on the way out
                }
            }
            stop.countDown();
        }, "stretch-shutdown"));
        stop.await();
        return 0;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
