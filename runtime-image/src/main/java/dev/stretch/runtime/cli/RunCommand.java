package dev.stretch.runtime.cli;

import dev.stretch.api.JobExecution;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import dev.stretch.model.Defaults;
import dev.stretch.model.Durations;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stretch run FILE}: runs a job in this process with live progress and a final summary. The
 * in-process autoscaler resizes keyed operators' threads unless {@code --no-autoscale} (or the job's
 * {@code autoscaling.inProcess: false} / {@code mode: Off}).
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs a StreamJob here, with live progress and a final summary.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "StreamJob YAML file")
    Path file;

    @Option(names = "--duration", paramLabel = "D", description = "Stop after this long (e.g. 30s, 2m); default: until the sources end")
    String duration;

    @Option(names = "--threads", paramLabel = "N", description = "Initial threads of every keyed operator (overrides the job)")
    Integer threads;

    @Option(names = "--port", paramLabel = "P", description = "Serve /metrics, /healthz, /readyz, /v1/status and /v1/parallelism on this port")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address for --port (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--token-file", paramLabel = "F", description = "Bearer token file for PUT /v1/parallelism (control is disabled without one)")
    Path tokenFile;

    @Option(names = "--no-autoscale", description = "Keep thread counts fixed")
    boolean noAutoscale;

    @Option(names = "--plain", description = "Plain line output even on a terminal")
    boolean plain;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s", description = "Sampling interval of rates (default ${DEFAULT-VALUE})")
    String interval;

    @Override
    public Integer call() throws Exception {
        JobFiles.Loaded l = JobFiles.load(file);
        if (!l.ok()) {
            JobFiles.printErrors(file, l.errors(), System.err);
            return 1;
        }
        if (threads != null && threads < 1) {
            System.err.println("--threads must be >= 1, was " + threads);
            return 2;
        }
        Duration limit = null;
        if (duration != null) {
            if (!Durations.isValid(duration)) {
                System.err.println("--duration: '" + duration + "' is not a duration (examples: 30s, 2m)");
                return 2;
            }
            limit = Durations.parse(duration);
        }
        StreamJobManifest m = l.manifest();
        long intervalMillis = Durations.parse(interval).toMillis();
        List<AutoCloseable> closers = new ArrayList<>();
        JobProcess p = JobProcess.start(m, RuntimeServices.connectors(System.currentTimeMillis()), threads, "local",
                intervalMillis);
        closers.add(p);
        boolean terminal = System.console() != null && !plain;
        Progress progress = new Progress(System.out, terminal, m.name(), 5);
        p.onSample(rates -> progress.show(rates, p.execution()));
        if (port != null) {
            closers.add(0, RuntimeServices.http(p, new InetSocketAddress(bind, port), tokenFile));
            System.err.println("serving http://" + bind + ":" + port + "/ (metrics, healthz, readyz, v1/status, v1/parallelism)");
        }
        boolean autoscale = !noAutoscale && RuntimeServices.autoscaleByDefault(m.getSpec(), true);
        if (autoscale) {
            closers.add(0, RuntimeServices.autoscaler(p, m.getSpec(), progress::reconfigured));
        } else {
            p.execution().addReconfigurationListener(r -> progress.reconfigured(r, "request"));
        }
        Thread hook = new Thread(() -> p.execution().cancel(), "stretch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        boolean ended = limit == null ? awaitForever(p.execution()) : p.execution().awaitTermination(limit);
        int code = 0;
        try {
            if (!ended) {
                p.execution().cancel();
                p.execution().awaitTermination(Duration.ofSeconds(30));
            }
        } catch (RuntimeException e) {
            code = 1;
        }
        List<OperatorRates> last = p.stopSampling();
        for (AutoCloseable c : closers) {
            c.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        summary(m, p.execution(), last, System.nanoTime() - t0, !ended);
        if (p.execution().status() == JobExecution.Status.FAILED) {
            System.err.println("job failed: " + p.execution().failure().map(Throwable::getMessage).orElse("unknown error"));
            return 1;
        }
        return code;
    }

    private static boolean awaitForever(JobExecution e) {
        try {
            e.awaitTermination();
        } catch (RuntimeException ignored) {
            // reported by the summary
        }
        return true;
    }

    private static void summary(StreamJobManifest m, JobExecution e, List<OperatorRates> last, long nanos, boolean stopped) {
        var metrics = e.metrics();
        long in = 0;
        long out = 0;
        long late = 0;
        long bad = 0;
        long reconfigurations = 0;
        for (var o : metrics.operators()) {
            if (o.kind().equals("source")) {
                in += o.tuplesIn();
            }
            if (o.kind().equals("sink")) {
                out += o.tuplesIn();
            }
            late += o.lateTuples();
            bad += o.badRecords();
            reconfigurations += o.reconfigurations();
        }
        double secs = nanos / 1e9;
        System.out.printf(Locale.ROOT, "%njob '%s' %s after %.1f s: %,d records in (%s/s), %,d out; "
                        + "reconfigurations %d; late %d; bad records %d%n", m.name(),
                stopped ? "stopped" : e.status().name().toLowerCase(Locale.ROOT), secs, in, Progress.human(in / secs), out,
                reconfigurations, late, bad);
        for (var o : metrics.operators()) {
            if (o.kind().equals("window")) {
                System.out.printf(Locale.ROOT, "  %s: %d threads at the end (bounds %d..%d), %,d tuples%n", o.name(),
                        o.instances(), Defaults.threadsMin(m.getSpec()), Defaults.threadsMax(m.getSpec()), o.tuplesIn());
            }
        }
    }
}
