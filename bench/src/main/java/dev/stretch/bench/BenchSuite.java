package dev.stretch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The side-by-side benchmark: every workload and configuration on every contender — this engine in VSN
 * and SN mode, Apache Flink, the hand-written loop — one fresh JVM per contender run, same JVM flags;
 * then verification (equal output count and checksum per configuration, or the run fails), latency at 80 %
 * of what each contender sustains unpaced in the latency JVM (its own flags), optional JFR profiles of this engine, and the results files
 * ({@link ResultsReport}). Started by {@code bench/run}, which builds and passes the classpath.
 */
public final class BenchSuite {
    static final List<String> ENGINES = List.of("stretch-vsn", "stretch-sn", "flink");
    static final String LIMIT = "hand-loop";
    /**
     * A paced run that achieves less than this share of its rate fell behind and is paced again lower (one that
     * keeps up achieves about 0.97: the start-up lead counts in its wall time).
     */
    static final double FELL_BEHIND = 0.93;
    static final String DEFAULT_JVM_FLAGS = "-Xms8g -Xmx8g -XX:+UseParallelGC";
    /**
     * Latency runs use G1 (the JDK's default collector), every contender alike: ParallelGC's young pauses
     * (~55 ms with this heap) are the tail of every paced run, while G1 keeps them to a few ms at a
     * slightly higher cost per allocation; a user who cares about latency runs G1 or a concurrent collector.
     */
    static final String DEFAULT_LATENCY_JVM_FLAGS = "-Xms8g -Xmx8g -XX:+UseG1GC";

    private BenchSuite() {
    }

    /** The options of one invocation. */
    static final class Options {
        boolean quick;
        Set<String> only = new LinkedHashSet<>();
        int maxThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        int splits; // 0: as many splits as threads
        Path results = Path.of("bench/results");
        Path work = Path.of("bench/work");
        Path reconfiguration;
        String command = "bench/run";
        String classpath = System.getProperty("java.class.path");
        List<String> jvmFlags = List.of(DEFAULT_JVM_FLAGS.split(" "));
        List<String> latencyJvmFlags = List.of(DEFAULT_LATENCY_JVM_FLAGS.split(" "));
        /**
         * Pace latency runs at 80 % of the throughput table's run (ParallelGC) as before 2026-12-03 evening, instead
         * of 80 % of an unpaced run with the latency JVM's own flags.
         */
        boolean latencyRateFromThroughputJvm;
        int retries = -1;
        double maxOtherCores = 0.3;
        double retryOtherCores = 1.0;
        double quietWaitSeconds = 5;
        List<Integer> keys;
        List<String> dists;

        boolean phase(String p) {
            Set<String> phases = new LinkedHashSet<>(only);
            phases.retainAll(Set.of("throughput", "latency", "profile", "reconfiguration"));
            if (phases.isEmpty()) {
                return !p.equals("profile") || !quick;
            }
            return phases.contains(p) || (p.equals("throughput") && phases.contains("latency"));
        }

        boolean workload(Workload w) {
            Set<String> ws = new LinkedHashSet<>(only);
            ws.retainAll(Arrays.stream(Workload.values()).map(Workload::id).toList());
            return ws.isEmpty() || ws.contains(w.id());
        }

        boolean contender(String c) {
            Set<String> cs = new LinkedHashSet<>(only);
            cs.retainAll(List.of("stretch-vsn", "stretch-sn", "flink", LIMIT));
            return cs.isEmpty() || cs.contains(c);
        }
    }

    /** One (workload, keys, distribution). */
    record Config(Workload workload, int keys, String dist) {
        String label() {
            return workload.id() + " " + (keys >= 1000 ? keys / 1000 + "k" : Integer.toString(keys)) + " " + dist;
        }

        String file() {
            return workload.id() + "-" + keys + "-" + dist;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        long t0 = System.nanoTime();
        ObjectMapper om = new ObjectMapper();
        Files.createDirectories(o.work);
        Files.createDirectories(o.results);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path log = o.work.resolve("run-" + stamp + ".log");
        ContenderProcess proc = new ContenderProcess(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                o.jvmFlags, o.classpath, log, 900);
        ContenderProcess latencyProc = new ContenderProcess(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), o.latencyJvmFlags, o.classpath, log, 900);
        String loadBefore = JvmProbe.loadAverage();
        say("load before: " + loadBefore + "; log: " + log);

        List<Config> configs = new ArrayList<>();
        List<Integer> keySet = o.keys != null ? o.keys : o.quick ? List.of(1000) : List.of(1000, 100_000);
        List<String> distSet = o.dists != null ? o.dists : o.quick ? List.of("uniform") : List.of("uniform", "zipf");
        for (Workload w : Workload.values()) {
            if (!o.workload(w)) {
                continue;
            }
            if (w == Workload.BAND_JOIN) { // it pairs by value: keys and their distribution change nothing
                configs.add(new Config(w, keySet.get(0), "uniform"));
                continue;
            }
            for (int k : keySet) {
                for (String d : distSet) {
                    configs.add(new Config(w, k, d));
                }
            }
        }
        int retries = o.retries >= 0 ? o.retries : o.quick ? 0 : 1;
        List<ObjectNode> rows = new ArrayList<>();
        List<ObjectNode> latencyRows = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, String> verification = new LinkedHashMap<>();

        // ---- throughput
        List<Config> latencyConfigs = new ArrayList<>();
        if (o.phase("throughput")) {
            for (Config c : configs) {
                // latency for the smallest and the hardest key setting of each workload (quick: one)
                boolean latencyToo = o.phase("latency") && (o.quick
                        ? c.keys == 1000 && c.dist.equals("uniform") && c.workload == Workload.TUMBLING_COUNT
                        : (c.keys == 1000 && c.dist.equals("uniform")) || (c.keys == 100_000 && c.dist.equals("zipf")));
                if (latencyToo) {
                    latencyConfigs.add(c);
                }
                long events = c.workload.events(c.keys, o.quick);
                if (o.contender(LIMIT)) {
                    rows.add(runThroughput(proc, om, o, c, LIMIT, 1, events, retries, failures));
                }
                for (int t = 1; t <= o.maxThreads; t++) {
                    boolean onlyForLatency = o.only.contains("latency") && !o.only.contains("throughput") && t != o.maxThreads;
                    if (onlyForLatency) {
                        continue;
                    }
                    for (String e : ENGINES) {
                        if (o.contender(e) && c.workload.runs(e)) {
                            rows.add(runThroughput(proc, om, o, c, e, t, events, retries, failures));
                        }
                    }
                }
                verification.put(c.label(), verify(c, rows, failures));
            }
        }

        // ---- latency at 80 % of what each contender sustains in the latency JVM, at max threads
        if (o.phase("latency")) {
            double seconds = o.quick ? 5 : 9;
            double skip = o.quick ? 2 : 3;
            for (Config c : latencyConfigs) {
                for (String e : ENGINES) {
                    if (!o.contender(e) || !c.workload.runs(e)) {
                        continue;
                    }
                    ObjectNode tp = find(rows, c, e, o.maxThreads);
                    if (tp == null || tp.has("error")) {
                        continue;
                    }
                    // "80 % of the sustained rate": what this contender sustains in the JVM the latency run uses.
                    // The throughput table runs under ParallelGC; G1's barriers and concurrent work cost some
                    // configurations more than 20 %, and 80 % of the ParallelGC rate is then a growing queue,
                    // not a latency. So an unpaced run with the latency JVM's flags (same events, repetitions
                    // and checks as the throughput run) sets the pace, for every contender alike.
                    ObjectNode sustained = o.latencyRateFromThroughputJvm ? null
                            : runThroughput(latencyProc, om, o, c, e, o.maxThreads, c.workload.events(c.keys, o.quick),
                                    retries, failures, "sustained");
                    if (sustained != null && !sustained.has("error") && !(sustained.get("outputs").asLong()
                            == tp.get("outputs").asLong() && sustained.get("checksum").asText().equals(tp.get("checksum").asText()))) {
                        String msg = "MISMATCH in " + c.label() + ": " + e + " under the latency JVM's flags gave "
                                + sustained.get("outputs").asLong() + "/" + sustained.get("checksum").asText()
                                + ", its throughput run " + tp.get("outputs").asLong() + "/" + tp.get("checksum").asText();
                        failures.add(msg);
                        System.err.println("!!! " + msg);
                    }
                    boolean fromLatencyJvm = sustained != null && !sustained.has("error");
                    double basis = (fromLatencyJvm ? sustained : tp).get("tuples_per_s").asDouble();
                    long rate = Math.round(0.8 * basis);
                    List<String> a = baseArgs(o, c, e, o.maxThreads);
                    a.add("rate=" + rate);
                    a.add("seconds=" + seconds);
                    a.add("skipSeconds=" + skip);
                    say(String.format(Locale.ROOT, "latency    %-28s %-12s t=%d at %.2f M/s", c.label(), e, o.maxThreads, rate / 1e6));
                    Map<String, String> labels = Map.of("workload", c.workload.id(), "keys", Integer.toString(c.keys),
                            "distribution", c.dist, "contender", e, "threads", Integer.toString(o.maxThreads), "run",
                            "latency");
                    ObjectNode r = best(latencyProc, om, a, o, retries, labels);
                    if (!r.has("error") && r.get("achieved_tuples_per_s").asDouble() < FELL_BEHIND * rate) {
                        // The throughput run was a lucky one: 80 % of it is more than this contender sustains,
                        // and a queue that only grows measures nothing. Pace again at 80 % of what it did sustain.
                        long again = Math.round(0.8 * r.get("achieved_tuples_per_s").asDouble());
                        say(String.format(Locale.ROOT, "           fell behind (achieved %.2f of %.2f M/s, p50 %.0f ms): "
                                + "again at %.2f M/s", r.get("achieved_tuples_per_s").asDouble() / 1e6, rate / 1e6,
                                r.get("p50_ms").asDouble(), again / 1e6));
                        a.set(a.indexOf("rate=" + rate), "rate=" + again);
                        ObjectNode first = r;
                        r = best(latencyProc, om, a, o, retries, labels);
                        ObjectNode f = r.putObject("fell_behind_first");
                        for (String k : List.of("rate", "achieved_tuples_per_s", "p50_ms", "p99_ms")) {
                            f.set(k, first.get(k));
                        }
                    }
                    ObjectNode pf = r.putObject("paced_from");
                    pf.put("throughput_run_tuples_per_s", tp.get("tuples_per_s").asDouble());
                    pf.put("throughput_run_jvm_flags", String.join(" ", o.jvmFlags));
                    if (sustained != null) {
                        if (!sustained.has("error")) {
                            pf.set("latency_jvm_tuples_per_s", sustained.get("tuples_per_s"));
                        }
                        pf.put("latency_jvm_flags", String.join(" ", o.latencyJvmFlags));
                        for (String k : List.of("other_cores", "own_cores", "gc_ms", "loadavg_before", "loadavg_after", "error")) {
                            if (sustained.has(k)) {
                                pf.set("latency_jvm_" + k, sustained.get(k));
                            }
                        }
                    }
                    pf.put("used", fromLatencyJvm ? "latency_jvm" : "throughput_run");
                    pf.put("share", 0.8);
                    if (r.has("error")) {
                        failures.add("latency " + c.label() + " " + e + ": " + r.get("error").asText());
                    } else {
                        say(String.format(Locale.ROOT, "           p50 %.2f ms  p99 %.2f ms  (achieved %.2f M/s, other cores %.2f)",
                                r.get("p50_ms").asDouble(), r.get("p99_ms").asDouble(),
                                r.get("achieved_tuples_per_s").asDouble() / 1e6, r.get("other_cores").asDouble()));
                        JsonNode tr = r.get("latency_trace");
                        if (tr != null) {
                            say(String.format(Locale.ROOT, "           first result p99 %.2f ms, burst p99 %.2f ms, source lag p99 %s",
                                    tr.path("first_result_ms").path("p99").asDouble(), tr.path("burst_ms").path("p99").asDouble(),
                                    tr.has("source_lag_ms") ? String.format(Locale.ROOT, "%.2f ms",
                                            tr.path("source_lag_ms").path("p99").asDouble()) : "-"));
                        }
                    }
                    latencyRows.add(r);
                }
            }
        }

        // ---- JFR profiles of this engine (not part of the measured numbers)
        List<JfrSummary.Profile> profiles = new ArrayList<>();
        if (o.phase("profile")) {
            Path dir = o.work.resolve("jfr-" + stamp);
            Files.createDirectories(dir);
            for (Config c : List.of(new Config(Workload.TUMBLING_COUNT, 1000, "uniform"),
                    new Config(Workload.TUMBLING_COUNT, 100_000, "uniform"),
                    new Config(Workload.SLIDING_AVG, 1000, "uniform"),
                    new Config(Workload.WINDOW_JOIN, 1000, "uniform"))) {
                if (!o.workload(c.workload)) {
                    continue;
                }
                for (String e : List.of("stretch-vsn", "stretch-sn")) {
                    Path jfr = dir.resolve(c.file() + "-" + e + ".jfr");
                    List<String> a = baseArgs(o, c, e, o.maxThreads);
                    a.add("events=" + c.workload.events(c.keys, true));
                    a.add("reps=3");
                    a.add("minSeconds=4");
                    say(String.format(Locale.ROOT, "profile    %-28s %-12s t=%d (JFR)", c.label(), e, o.maxThreads));
                    ObjectNode r = proc.run(List.of("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile"), a, om);
                    if (r.has("error") || !Files.exists(jfr)) {
                        failures.add("profile " + c.label() + " " + e + ": " + r.path("error").asText("no recording"));
                        continue;
                    }
                    profiles.add(JfrSummary.summarize(jfr, c.label(), e, o.maxThreads, r.get("tuples_per_s").asDouble()));
                }
            }
        }

        String loadAfter = JvmProbe.loadAverage();
        double minutes = (System.nanoTime() - t0) / 60e9;
        ResultsReport report = new ResultsReport(om, o, configs, rows, latencyRows, verification, failures, profiles,
                loadBefore, loadAfter, minutes, LocalDate.now().toString());
        Path md = report.write();
        say(String.format(Locale.ROOT, "done in %.1f min: %s", minutes, md));
        if (!failures.isEmpty()) {
            System.err.println();
            System.err.println("!!! " + failures.size() + " FAILURE(S) — results are written but must not be trusted:");
            failures.forEach(f -> System.err.println("!!!   " + f));
            System.exit(2);
        }
    }

    private static ObjectNode runThroughput(ContenderProcess proc, ObjectMapper om, Options o, Config c, String e, int t,
            long events, int retries, List<String> failures) throws Exception {
        return runThroughput(proc, om, o, c, e, t, events, retries, failures, "throughput");
    }

    /**
     * An unpaced run as the throughput table's, in {@code proc}'s JVM; {@code what} names it in the log and in
     * failures ("throughput", or "sustained" for the latency JVM's unpaced run that sets the latency pace).
     */
    private static ObjectNode runThroughput(ContenderProcess proc, ObjectMapper om, Options o, Config c, String e, int t,
            long events, int retries, List<String> failures, String what) throws Exception {
        List<String> a = baseArgs(o, c, e, t);
        a.add("events=" + events);
        switch (e) {
            case LIMIT -> {
                a.add("reps=5");
                a.add("minSeconds=" + (o.quick ? 0.5 : 1.5));
            }
            case "flink" -> {
                a.add("reps=1");
                a.add("warmUp=" + !o.quick); // quick: no warm-up job (saves a MiniCluster start per run)
            }
            default -> {
                a.add("reps=" + (o.quick ? 3 : 4));
                a.add("minSeconds=" + (o.quick ? 0.6 : 2));
            }
        }
        ObjectNode r = best(proc, om, a, o, retries, Map.of("workload", c.workload.id(), "keys", Integer.toString(c.keys),
                "distribution", c.dist, "contender", e, "threads", Integer.toString(t)));
        if (r.has("error")) {
            failures.add(what + " " + c.label() + " " + e + " t=" + t + ": " + r.get("error").asText());
            say(String.format(Locale.ROOT, "%-10s %-28s %-12s t=%d  FAILED: %s", what, c.label(), e, t, r.get("error").asText()));
        } else {
            say(String.format(Locale.ROOT, "%-10s %-28s %-12s t=%d  %8.2f M/s  outputs %d  checksum %s  (other cores %.2f)%s",
                    what, c.label(), e, t, r.get("tuples_per_s").asDouble() / 1e6, r.get("outputs").asLong(),
                    r.get("checksum").asText(), r.get("other_cores").asDouble(), r.has("comparisons_per_s")
                            ? String.format(Locale.ROOT, "  %.1f M comparisons/s", r.get("comparisons_per_s").asDouble() / 1e6)
                            : ""));
        }
        return r;
    }

    /**
     * Runs, and re-runs up to {@code retries} times while other tenants used more than
     * {@code retryOtherCores} cores meanwhile; keeps the least contended result, with the attempts noted.
     */
    private static ObjectNode best(ContenderProcess proc, ObjectMapper om, List<String> args, Options o, int retries,
            Map<String, String> identity) throws Exception {
        ObjectNode best = null;
        List<Double> others = new ArrayList<>();
        for (int k = 0; k <= retries; k++) {
            double waited = o.quick ? 0 : waitForQuiet(o.quietWaitSeconds, o.maxOtherCores);
            ObjectNode r = proc.run(List.of(), args, om);
            r.put("waited_for_quiet_s", round1(waited));
            if (r.has("error")) {
                if (r.get("error").asText().contains("MISMATCH") || best == null) {
                    best = r;
                }
                break;
            }
            double other = r.get("other_cores").asDouble();
            others.add(other);
            if (best == null || best.has("error") || other < best.get("other_cores").asDouble()) {
                best = r;
            }
            if (other <= o.retryOtherCores) {
                break;
            }
            say(String.format(Locale.ROOT, "           contended (other cores %.2f > %.2f): %s", other, o.retryOtherCores,
                    k < retries ? "re-running" : "keeping the least contended attempt"));
        }
        for (Map.Entry<String, String> e : identity.entrySet()) { // an error row has only these
            if (!best.has(e.getKey())) {
                best.put(e.getKey(), e.getValue());
            }
        }
        best.putPOJO("attempts_other_cores", others);
        return best;
    }

    /**
     * Waits until the rest of the machine has been quiet (busy below {@code maxBusyCores}) for one second,
     * at most {@code maxSeconds}; returns the seconds waited. A shared machine cannot be made idle, only
     * waited for.
     */
    static double waitForQuiet(double maxSeconds, double maxBusyCores) throws InterruptedException {
        long t0 = System.nanoTime();
        while (true) {
            long a = JvmProbe.machineBusyNanos();
            Thread.sleep(1000);
            long busy = JvmProbe.machineBusyNanos() - a;
            double waited = (System.nanoTime() - t0) / 1e9;
            if (busy < maxBusyCores * 1e9 || waited >= maxSeconds) {
                return waited;
            }
        }
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static List<String> baseArgs(Options o, Config c, String e, int threads) {
        List<String> a = new ArrayList<>();
        a.add("workload=" + c.workload.id());
        a.add("keys=" + c.keys);
        a.add("dist=" + c.dist);
        a.add("contender=" + e);
        a.add("threads=" + threads);
        a.add("splits=" + (e.equals(LIMIT) ? 1 : o.splits > 0 ? o.splits : threads));
        return a;
    }

    /** All contenders of a configuration must agree with the hand loop (or with each other without it). */
    private static String verify(Config c, List<ObjectNode> rows, List<String> failures) {
        String want = null;
        String from = null;
        List<String> bad = new ArrayList<>();
        for (ObjectNode r : rows) {
            if (!matches(r, c) || r.has("error")) {
                continue;
            }
            String got = r.get("outputs").asLong() + "/" + r.get("checksum").asText();
            if (want == null || r.get("contender").asText().equals(LIMIT) && !from.equals(LIMIT)) {
                if (want != null && !want.equals(got)) {
                    bad.add(from);
                }
                want = got;
                from = r.get("contender").asText();
                continue;
            }
            if (!want.equals(got)) {
                bad.add(r.get("contender").asText() + " t=" + r.get("threads").asInt() + " (" + got + ")");
            }
        }
        if (want == null) {
            return "no results";
        }
        if (!bad.isEmpty()) {
            String msg = "MISMATCH in " + c.label() + ": expected " + want + " (" + from + "), differing: " + bad;
            failures.add(msg);
            System.err.println("!!! " + msg);
            return msg;
        }
        return "ok: " + want;
    }

    static boolean matches(JsonNode r, Config c) {
        return r.path("workload").asText().equals(c.workload.id()) && r.path("keys").asInt() == c.keys
                && r.path("distribution").asText().equals(c.dist);
    }

    static ObjectNode find(List<ObjectNode> rows, Config c, String contender, int threads) {
        for (ObjectNode r : rows) {
            if (matches(r, c) && r.path("contender").asText().equals(contender) && r.path("threads").asInt() == threads) {
                return r;
            }
        }
        return null;
    }

    static void say(String s) {
        System.out.println(s);
        System.out.flush();
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> o.quick = true;
                case "--only" -> o.only.addAll(Arrays.asList(args[++i].split(",")));
                case "--max-threads" -> {
                    o.maxThreads = Integer.parseInt(args[++i]);
                    if (o.maxThreads < 1 || o.maxThreads > 4) {
                        throw new IllegalArgumentException("--max-threads must be in [1, 4]");
                    }
                }
                case "--splits" -> o.splits = Integer.parseInt(args[++i]);
                case "--results" -> o.results = Path.of(args[++i]);
                case "--work" -> o.work = Path.of(args[++i]);
                case "--reconfiguration" -> o.reconfiguration = Path.of(args[++i]);
                case "--command" -> o.command = args[++i];
                case "--classpath" -> o.classpath = args[++i];
                case "--jvm-flags" -> o.jvmFlags = List.of(args[++i].trim().split("\\s+"));
                case "--latency-jvm-flags" -> o.latencyJvmFlags = List.of(args[++i].trim().split("\\s+"));
                case "--latency-rate-from-throughput-run" -> o.latencyRateFromThroughputJvm = true;
                case "--retries" -> o.retries = Integer.parseInt(args[++i]);
                case "--max-other-cores" -> o.maxOtherCores = Double.parseDouble(args[++i]);
                case "--retry-other-cores" -> o.retryOtherCores = Double.parseDouble(args[++i]);
                case "--quiet-wait" -> o.quietWaitSeconds = Double.parseDouble(args[++i]);
                case "--keys" -> o.keys = Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
                case "--dists" -> o.dists = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return o;
    }
}
