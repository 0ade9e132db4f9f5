package dev.stretch.runtime.cli;

import dev.stretch.api.JobExecution;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.model.Defaults;
import dev.stretch.model.Durations;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.SinkSpec;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.runtime.JobProcess;
import dev.stretch.runtime.RuntimeServices;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stretch run FILE}: runs a job in this process with live progress and a final summary. The
 * in-process autoscaler resizes keyed operators' threads unless {@code --no-autoscale} (or the job's
 * {@code autoscaling.inProcess: false} / {@code mode: Off}).
 *
 * <p>However the run ends, the summary is printed whole, and the exit code says how it ended (see
 * {@link #EXIT_CODES}). Ctrl-C and SIGTERM stop the job; the summary follows; a second Ctrl-C exits at once.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs a StreamJob here, with live progress and a final summary.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the job finished (its sources ended) or ran for the whole --duration",
            "1:the job failed (the summary says why), or the file is not a valid job",
            "2:invalid command line",
            "130:stopped by Ctrl-C (SIGINT), after the summary",
            "143:stopped by SIGTERM, after the summary"})
final class RunCommand implements Callable<Integer> {
    static final String EXIT_CODES = "0 finished or ran for --duration; 1 failed or invalid job; 2 bad command line; "
            + "130 Ctrl-C; 143 SIGTERM";
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_SIGINT = 130;
    static final int EXIT_SIGTERM = 143;

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

    /** Why the run is ending, when not by itself. */
    private enum Stop {
        DURATION("was stopped at the end of --duration, after %s", 0),
        SIGINT("was stopped by Ctrl-C after %s", EXIT_SIGINT),
        SIGTERM("was stopped by SIGTERM after %s", EXIT_SIGTERM),
        SHUTDOWN("was stopped (the JVM is shutting down) after %s", EXIT_SIGTERM);

        final String words;
        final int exitCode;

        Stop(String words, int exitCode) {
            this.words = words;
            this.exitCode = exitCode;
        }
    }

    private final AtomicReference<Stop> stop = new AtomicReference<>();
    private final CountDownLatch summaryPrinted = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        JobFiles.Loaded l = JobFiles.load(file);
        if (!l.ok()) {
            JobFiles.printErrors(file, l.errors(), System.err);
            return EXIT_FAILED;
        }
        if (threads != null && threads < 1) {
            System.err.println("--threads must be >= 1, was " + threads);
            return EXIT_USAGE;
        }
        Duration limit = null;
        if (duration != null) {
            if (!Durations.isValid(duration)) {
                System.err.println("--duration: '" + duration + "' is not a duration (examples: 30s, 2m)");
                return EXIT_USAGE;
            }
            limit = Durations.parse(duration);
        }
        if (!Durations.isValid(interval) || Durations.parse(interval).toMillis() < 1) {
            System.err.println("--interval: '" + interval + "' is not a positive duration (examples: 1s, 500ms)");
            return EXIT_USAGE;
        }
        StreamJobManifest m = l.manifest();
        // the summary reports a failure; the engine's own log line would only repeat it
        Logger.getLogger("dev.stretch.engine.exec.JobContext").setFilter(r -> !r.getMessage().startsWith("job '"));
        long intervalMillis = Durations.parse(interval).toMillis();
        List<AutoCloseable> closers = new ArrayList<>();
        JobProcess p;
        dev.stretch.runtime.topology.PodTopology local = dev.stretch.runtime.topology.PodTopology.single("local");
        dev.stretch.runtime.pipeline.ConnectorFactory connectors;
        try {
            connectors = RuntimeServices.connectors(m, System.currentTimeMillis(), local);
        } catch (IllegalArgumentException e) {
            System.err.println("job '" + m.name() + "' could not start: " + e.getMessage());
            return EXIT_FAILED;
        }
        try {
            p = JobProcess.start(m, connectors, threads, local, intervalMillis);
        } catch (RuntimeException e) {
            System.err.println("job '" + m.name() + "' could not start: " + e.getMessage());
            if (connectors instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // reporting the start failure matters more
                }
            }
            return EXIT_FAILED;
        }
        closers.add(p);
        closers.add(RuntimeServices.wireKafka(connectors, p, local));
        Rescalings rescalings = new Rescalings(p.execution());
        boolean terminal = System.console() != null && !plain;
        if (terminal) {
            // the table shows every rescaling; log lines would break its redrawing in place
            Logger.getLogger("dev.stretch.runtime.autoscale.LocalAutoscaler").setLevel(java.util.logging.Level.WARNING);
            Logger.getLogger("dev.stretch.runtime.http.RuntimeHttpServer").setLevel(java.util.logging.Level.WARNING);
        }
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
            p.addReconfigurationListener(r -> progress.reconfigured(r, "request"));
        }
        Signals.onInterrupt(() -> requestStop(Stop.SIGINT, p), () -> requestStop(Stop.SIGTERM, p));
        Thread hook = new Thread(() -> {
            // some other way out (SIGHUP, System.exit elsewhere): stop the job and let the summary finish
            requestStop(Stop.SHUTDOWN, p);
            try {
                summaryPrinted.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stretch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        long t0 = System.nanoTime();
        awaitEnd(p.execution(), limit, t0);
        p.execution().cancel(); // a no-op for a job that has ended
        awaitQuietly(p.execution(), Duration.ofSeconds(30));
        p.stopSampling();
        for (AutoCloseable c : closers) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + " failed: " + e.getMessage());
            }
        }
        long nanos = System.nanoTime() - t0;
        String summary = summary(m, p.execution(), rescalings, nanos, stop.get());
        synchronized (System.out) {
            System.out.print(summary);
            System.out.flush();
        }
        summaryPrinted.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down already; the hook waits for the summary, which is out
        }
        Stop why = stop.get();
        if (p.execution().status() == JobExecution.Status.FAILED) {
            return EXIT_FAILED;
        }
        return why == null ? 0 : why.exitCode;
    }

    private void requestStop(Stop why, JobProcess p) {
        if (stop.compareAndSet(null, why) || why != Stop.SHUTDOWN) {
            p.execution().cancel();
        }
    }

    /** Waits until the job ends, the duration is over, or a stop was requested (the job is then cancelled). */
    private void awaitEnd(JobExecution e, Duration limit, long t0) {
        while (true) {
            if (awaitQuietly(e, Duration.ofMillis(100))) {
                return;
            }
            if (limit != null && System.nanoTime() - t0 >= limit.toNanos()) {
                stop.compareAndSet(null, Stop.DURATION);
                return;
            }
        }
    }

    /** Waits for the job to end; a failure is reported by the summary, not thrown. */
    private static boolean awaitQuietly(JobExecution e, Duration timeout) {
        try {
            return e.awaitTermination(timeout);
        } catch (RuntimeException failed) {
            return true;
        }
    }

    /** The threads each elastic operator had: at the start, at most, at least, and how often they changed. */
    private static final class Rescalings {
        final Map<String, int[]> seen = new ConcurrentHashMap<>(); // start, min, max, changes

        Rescalings(JobExecution e) {
            for (JobExecution.ElasticOperator o : e.elasticOperators()) {
                seen.put(o.name(), new int[] {o.instances(), o.instances(), o.instances(), 0});
            }
            e.addReconfigurationListener(r -> seen.computeIfPresent(r.operator(), (k, v) -> new int[] {v[0],
                Math.min(v[1], r.to()), Math.max(v[2], r.to()), v[3] + 1}));
        }
    }

    static String summary(StreamJobManifest m, JobExecution e, Rescalings rescalings, long nanos, Stop why) {
        StringBuilder b = new StringBuilder();
        List<OperatorMetrics> ops = e.metrics().operators();
        long in = 0;
        long late = 0;
        long bad = 0;
        long deadLetters = 0;
        for (OperatorMetrics o : ops) {
            if (o.kind().equals("source")) {
                in += o.tuplesIn();
            }
            late += o.lateTuples();
            bad += o.badRecords();
            deadLetters += o.deadLetters();
        }
        double secs = nanos / 1e9;
        String took = String.format(Locale.ROOT, "%.1f s", secs);
        JobExecution.Status status = e.status();
        String how = status == JobExecution.Status.FAILED ? "FAILED after " + took
                : why != null ? String.format(Locale.ROOT, why.words, took)
                : status == JobExecution.Status.FINISHED ? "finished after " + took + " (its sources ended)"
                : status.name().toLowerCase(Locale.ROOT) + " after " + took;
        b.append(String.format(Locale.ROOT, "%njob '%s' %s: %,d records in (%s/s), %,d bad, %,d late%n", m.name(), how,
                in, Progress.human(in / Math.max(secs, 1e-3)), bad, late));
        if (status == JobExecution.Status.FAILED) {
            b.append("  why: ").append(e.failure().map(t -> t.getMessage() != null ? t.getMessage() : t.toString())
                    .orElse("unknown error")).append('\n');
        }
        StreamJobSpec spec = m.getSpec();
        Map<String, String> sinks = sinks(spec);
        List<String> order = spec.getPipeline() == null ? List.of() : StreamJobValidator.stageNames(spec.getPipeline());
        List<OperatorMetrics> inOrder = new ArrayList<>(ops);
        inOrder.sort(java.util.Comparator.comparingInt(o -> order.indexOf(o.name()) < 0 ? Integer.MAX_VALUE
                : order.indexOf(o.name())));
        for (OperatorMetrics o : inOrder) {
            int[] r = rescalings.seen.get(o.name());
            switch (o.kind()) {
                case "window" -> b.append(String.format(Locale.ROOT, "  %s: %,d records in, %,d out; threads %s%n",
                        o.name(), o.tuplesIn(), o.tuplesOut(), threads(r, o.instances(), spec)));
                case "chained" -> b.append(String.format(Locale.ROOT, "  %s: %,d records in, %,d out%n", o.name(),
                        o.tuplesIn(), o.tuplesOut()));
                case "sink" -> b.append(String.format(Locale.ROOT, "  %s: %,d records written to %s%n", o.name(),
                        o.tuplesIn(), sinks.getOrDefault(o.name(), "its sink")));
                default -> { }
            }
        }
        SinkSpec dl = spec.getEngine() == null ? null : spec.getEngine().getDeadLetter();
        b.append(String.format(Locale.ROOT, "  dead letters: %,d to %s", deadLetters, dl == null ? "standard error"
                : where(dl)));
        if (late > 0) {
            b.append(Defaults.lateRecords(spec) == dev.stretch.model.LateRecords.DROP
                    ? String.format(Locale.ROOT, "; %,d late records were dropped (engine.lateRecords: DeadLetter keeps them)", late)
                    : String.format(Locale.ROOT, " (%,d of them late records)", late));
        }
        b.append('\n');
        return b.toString();
    }

    private static String threads(int[] r, int now, StreamJobSpec spec) {
        String bounds = Defaults.threadsMin(spec) + ".." + Defaults.threadsMax(spec);
        if (r == null) {
            return now + " (bounds " + bounds + ")";
        }
        if (r[3] == 0) {
            return now + " throughout (bounds " + bounds + ", no rescaling)";
        }
        return String.format(Locale.ROOT, "%d at the start, %d at most, %d at the end (bounds %s, %d rescaling%s)",
                r[0], r[2], now, bounds, r[3], r[3] == 1 ? "" : "s");
    }

    /** Sink stage name → where its records went. */
    private static Map<String, String> sinks(StreamJobSpec spec) {
        Map<String, String> out = new LinkedHashMap<>();
        if (spec.getPipeline() == null) {
            return out;
        }
        List<String> names = StreamJobValidator.stageNames(spec.getPipeline());
        for (int i = 0; i < spec.getPipeline().size(); i++) {
            PipelineStage s = spec.getPipeline().get(i);
            if (s != null && s.getSink() != null) {
                out.put(names.get(i), where(s.getSink()));
            }
        }
        return out;
    }

    private static String where(SinkSpec s) {
        if (s.getFile() != null) {
            return Path.of(s.getFile().getPath()).toAbsolutePath().normalize().toString();
        }
        return "standard output";
    }
}
