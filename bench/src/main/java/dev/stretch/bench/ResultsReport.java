package dev.stretch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stretch.bench.flink.FlinkJobs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a run's results: {@code <date>[-quick].md} (tables, ratios, targets, method, profile findings),
 * {@code <date>[-quick].json} and {@code latest.json} (the rows in the agreed field names, plus details;
 * a partial {@code --only} run leaves latest.json alone), and PNG charts in
 * {@code <date>[-quick]/}. The {@code reconfiguration} entry comes from {@code ReconfigurationBench}:
 * this run's if it ran one, otherwise the one already in latest.json is kept.
 */
final class ResultsReport {
    private final ObjectMapper om;
    private final BenchSuite.Options o;
    private final List<BenchSuite.Config> configs;
    private final List<ObjectNode> rows;
    private final List<ObjectNode> latencyRows;
    private final Map<String, String> verification;
    private final List<String> failures;
    private final List<JfrSummary.Profile> profiles;
    private final String loadBefore;
    private final String loadAfter;
    private final double minutes;
    private final String date;

    ResultsReport(ObjectMapper om, BenchSuite.Options o, List<BenchSuite.Config> configs, List<ObjectNode> rows,
            List<ObjectNode> latencyRows, Map<String, String> verification, List<String> failures,
            List<JfrSummary.Profile> profiles, String loadBefore, String loadAfter, double minutes, String date) {
        this.om = om;
        this.o = o;
        this.configs = configs;
        this.rows = rows;
        this.latencyRows = latencyRows;
        this.verification = verification;
        this.failures = failures;
        this.profiles = profiles;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.minutes = minutes;
        this.date = date;
    }

    Path write() throws IOException {
        String name = date + (o.quick ? "-quick" : "") + (o.only.isEmpty() ? "" : "-only-" + String.join("-", o.only));
        Path plotDir = o.results.resolve(name);
        Files.createDirectories(plotDir);
        List<Path> plots = new ArrayList<>();
        for (Workload w : Workload.values()) {
            Path p = Plots.throughput(plotDir, w, configs, rows, o.maxThreads);
            if (p != null) {
                plots.add(p);
            }
        }
        for (BenchSuite.Config c : configs) {
            Path p = Plots.latencyCdf(plotDir, c, latencyRows);
            if (p != null) {
                plots.add(p);
            }
        }
        ObjectNode reconfiguration = reconfiguration();
        ObjectNode json = json(reconfiguration, plots, name);
        // <name>.json stays beside its report; latest.json is the last complete (full or quick) run
        ObjectMapper pretty = om.copy().enable(SerializationFeature.INDENT_OUTPUT);
        pretty.writeValue(o.results.resolve(name + ".json").toFile(), json);
        if (o.only.isEmpty()) {
            Path latest = o.results.resolve("latest.json");
            ObjectNode merged = json.deepCopy();
            Results.keepOtherKeys(latest, merged, om); // other benchmarks' keys (soak, repeat, autoscaling, kafka)
            pretty.writeValue(latest.toFile(), merged);
        } else if (onlyWorkloads() != null) {
            // a run of some workloads with every contender and phase: its rows replace theirs in latest.json
            Results.replaceWorkloads(o.results.resolve("latest.json"), json, onlyWorkloads(), om);
        }
        Path md = o.results.resolve(name + ".md");
        Files.writeString(md, markdown(json, reconfiguration, plots));
        return md;
    }

    /**
     * The workloads of an {@code --only} run that names workloads and, at most, the throughput or latency
     * phase (every contender runs); else {@code null}.
     */
    private java.util.Set<String> onlyWorkloads() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (Workload w : Workload.values()) {
            ids.add(w.id());
        }
        java.util.Set<String> named = new java.util.LinkedHashSet<>(o.only);
        named.retainAll(ids);
        java.util.Set<String> rest = new java.util.LinkedHashSet<>(o.only);
        rest.removeAll(ids);
        rest.removeAll(List.of("throughput", "latency"));
        return !named.isEmpty() && rest.isEmpty() ? named : null;
    }

    // ------------------------------------------------------------------------------------------ JSON

    private ObjectNode json(ObjectNode reconfiguration, List<Path> plots, String name) {
        ObjectNode root = om.createObjectNode();
        root.put("date", date);
        ObjectNode m = root.putObject("machine");
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jvm", Machine.jvm());
        m.put("flags", String.join(" ", o.jvmFlags));
        m.put("latency_flags", String.join(" ", o.latencyJvmFlags));
        m.put("cpu", Machine.cpu());
        m.put("memory_gb", memoryGb());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        ArrayNode results = root.putArray("results");
        for (ObjectNode r : rows) {
            results.add(resultRow(r));
        }
        if (reconfiguration != null) {
            root.set("reconfiguration", reconfiguration.get("reconfiguration"));
            if (reconfiguration.has("reconfiguration_detail")) {
                root.set("reconfiguration_detail", reconfiguration.get("reconfiguration_detail"));
            }
            if (reconfiguration.has("from_previous_run")) {
                root.put("reconfiguration_from_previous_run", true);
            }
        }
        root.put("quick", o.quick);
        root.put("command", o.command);
        root.put("duration_min", round(minutes, 1));
        ObjectNode load = root.putObject("load");
        load.put("before", loadBefore);
        load.put("after", loadAfter);
        root.set("ratios", ratios());
        root.set("targets", targets(reconfiguration));
        ObjectNode ver = root.putObject("verification");
        verification.forEach(ver::put);
        ArrayNode f = root.putArray("failures");
        failures.forEach(f::add);
        ObjectNode settings = root.putObject("settings");
        settings.put("splits", o.splits > 0 ? o.splits + " per input stream for every engine contender"
                : "= threads per input stream, for every engine contender (Flink: source parallelism p)");
        settings.put("stretch", "JobConfig defaults (batchSize 1024, ringBatches 16, maxKeyGroups 128) + mode; "
                + "keyed operators and sinks at `threads` instances; built-in Aggregations, keyByLong");
        ObjectNode fl = settings.putObject("flink_throughput");
        FlinkJobs.settings(false, 100, 200).forEach(fl::put);
        ObjectNode fll = settings.putObject("flink_latency");
        FlinkJobs.settings(true, 1, 5).forEach(fll::put);
        settings.put("throughput_measure", "input tuples (both streams for the join) / (last sink close − first "
                + "source read), median of measured repetitions after a warm-up repetition; Flink: one measured "
                + "repetition after a warm-up job with a tenth of the events (MiniCluster start-up excluded)");
        settings.put("latency_measure", (o.latencyRateFromThroughputJvm
                ? "paced source at 80 % of the contender's throughput-run tuples/s at max threads (JVM flags "
                        + String.join(" ", o.jvmFlags) + "); "
                : "paced source at 80 % of the tuples/s the contender sustains unpaced at max threads in a JVM with "
                        + "the latency runs' flags (paced_from in each latency run: both rates and which was used); ")
                + "latency = sink time − scheduled release time of the event that closes the output's window; JVM flags "
                + String.join(" ", o.latencyJvmFlags));
        ArrayNode pl = root.putArray("plots");
        plots.forEach(p -> pl.add(o.results.relativize(p).toString()));
        ArrayNode lat = root.putArray("latency_runs");
        latencyRows.forEach(lat::add);
        ArrayNode pr = root.putArray("profiles");
        for (JfrSummary.Profile p : profiles) {
            ObjectNode n = pr.addObject();
            n.put("config", p.config());
            n.put("contender", p.contender());
            n.put("threads", p.threads());
            n.put("tuples_per_s", Math.round(p.tuplesPerSecond()));
            n.put("samples", p.samples());
            n.set("by_stage", om.valueToTree(p.byStage()));
            n.set("by_category", om.valueToTree(p.byCategory()));
            n.set("self_top", om.valueToTree(p.selfTop()));
            n.set("engine_inclusive_top", om.valueToTree(p.engineInclusiveTop()));
        }
        root.put("markdown", name + ".md");
        return root;
    }

    /** A results row: the agreed fields first, then the details. */
    private ObjectNode resultRow(ObjectNode r) {
        ObjectNode n = om.createObjectNode();
        n.put("workload", r.path("workload").asText());
        n.put("keys", r.path("keys").asInt());
        n.put("distribution", r.path("distribution").asText());
        n.put("contender", r.path("contender").asText());
        n.put("threads", r.path("threads").asInt());
        if (r.has("error")) {
            n.putNull("tuples_per_s");
        } else {
            n.put("tuples_per_s", r.get("tuples_per_s").asLong());
        }
        ObjectNode lat = latencyFor(r);
        if (lat != null && !lat.has("error")) {
            n.put("p50_ms", lat.get("p50_ms").asDouble());
            n.put("p99_ms", lat.get("p99_ms").asDouble());
        } else {
            n.putNull("p50_ms");
            n.putNull("p99_ms");
        }
        if (r.has("error")) {
            n.putNull("outputs");
            n.putNull("checksum");
            n.put("error", r.get("error").asText());
            return n;
        }
        n.put("outputs", r.get("outputs").asLong());
        n.put("checksum", r.get("checksum").asText());
        for (String k : List.of("splits", "events_per_stream", "input_tuples", "events_per_ms", "comparisons",
                "comparisons_per_s", "rep_tuples_per_s",
                "rep_seconds", "gc_ms", "gc_count", "gc_share", "heap_peak_mb", "own_cores", "other_cores",
                "loadavg_before", "loadavg_after", "startup_s", "attempts_other_cores", "waited_for_quiet_s")) {
            if (r.has(k)) {
                n.set(k, r.get(k));
            }
        }
        if (lat != null) {
            ObjectNode l = n.putObject("latency");
            for (String k : List.of("error", "rate", "achieved_tuples_per_s", "latency_samples", "p50_ms", "p90_ms",
                    "p99_ms", "p999_ms", "max_ms", "gc_ms", "gc_share", "heap_peak_mb", "own_cores", "other_cores",
                    "loadavg_before", "loadavg_after", "latency_cdf", "fell_behind_first", "paced_from")) {
                if (lat.has(k)) {
                    l.set(k, lat.get(k));
                }
            }
        }
        return n;
    }

    private ObjectNode latencyFor(ObjectNode r) {
        for (ObjectNode l : latencyRows) {
            if (l.path("workload").asText().equals(r.path("workload").asText()) && l.path("keys").asInt() == r.path("keys").asInt()
                    && l.path("distribution").asText().equals(r.path("distribution").asText())
                    && l.path("contender").asText().equals(r.path("contender").asText())
                    && l.path("threads").asInt() == r.path("threads").asInt()) {
                return l;
            }
        }
        return null;
    }

    private Double tps(BenchSuite.Config c, String contender, int threads) {
        ObjectNode r = BenchSuite.find(rows, c, contender, threads);
        return r == null || r.has("error") ? null : r.get("tuples_per_s").asDouble();
    }

    private Double ownCores(BenchSuite.Config c, String contender, int threads) {
        ObjectNode r = BenchSuite.find(rows, c, contender, threads);
        return r == null || r.has("error") ? null : r.get("own_cores").asDouble();
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null || b == 0 ? null : a / b;
    }

    private ArrayNode ratios() {
        ArrayNode a = om.createArrayNode();
        for (BenchSuite.Config c : configs) {
            Double limit = tps(c, BenchSuite.LIMIT, 1);
            for (int t = 1; t <= o.maxThreads; t++) {
                Double vsn = tps(c, "stretch-vsn", t);
                Double sn = tps(c, "stretch-sn", t);
                Double flink = tps(c, "flink", t);
                if (vsn == null && sn == null && flink == null) {
                    continue;
                }
                ObjectNode n = a.addObject();
                n.put("workload", c.workload().id());
                n.put("keys", c.keys());
                n.put("distribution", c.dist());
                n.put("threads", t);
                put(n, "vsn_over_flink", ratio(vsn, flink));
                put(n, "sn_over_flink", ratio(sn, flink));
                put(n, "vsn_over_sn", ratio(vsn, sn));
                put(n, "vsn_per_thread_over_limit", ratio(vsn == null ? null : vsn / t, limit));
                Double cores = ownCores(c, "stretch-vsn", t);
                put(n, "vsn_per_used_core_over_limit", ratio(vsn == null || cores == null ? null : vsn / cores, limit));
                put(n, "vsn_cores_used", cores);
            }
        }
        return a;
    }

    private void put(ObjectNode n, String k, Double v) {
        if (v == null) {
            n.putNull(k);
        } else {
            n.put(k, round(v, 3));
        }
    }

    /**
     * Each target of issue 15 / design.md §8 with the values it is judged on (at max threads unless it says
     * otherwise), whether it is met under its rule ({@code every}: every configuration must reach the goal;
     * {@code geomean}: the geometric mean must) and, where missed, by how much (the worst value against the
     * goal for {@code every}, the geomean for {@code geomean}).
     */
    private ArrayNode targets(ObjectNode reconfiguration) {
        ArrayNode a = om.createArrayNode();
        int t = o.maxThreads;
        List<Workload> keyedAggs = List.of(Workload.TUMBLING_COUNT, Workload.SLIDING_AVG);
        List<Workload> all = List.of(Workload.values());
        if (t > 1) {
            target(a, "adding an instance never costs throughput: VSN t=" + t + " / VSN t=1", ">= 0.95", "every",
                    collect(all, c -> ratio(tps(c, "stretch-vsn", t), tps(c, "stretch-vsn", 1))), 0.95, true);
        }
        target(a, "keyed tumbling and sliding aggregates vs Flink, same threads (" + t + ")", ">= 10", "every",
                collect(keyedAggs, c -> ratio(tps(c, "stretch-vsn", t), tps(c, "flink", t))), 10, true);
        target(a, "window join vs Flink, same threads (" + t + ")", ">= 5", "every",
                collect(List.of(Workload.WINDOW_JOIN), c -> ratio(tps(c, "stretch-vsn", t), tps(c, "flink", t))), 5, true);
        target(a, "pipeline-3 vs Flink, same threads (" + t + ") (no design target; for reference)", "-", "-",
                collect(List.of(Workload.PIPELINE_3), c -> ratio(tps(c, "stretch-vsn", t), tps(c, "flink", t))), 0, true);
        target(a, "VSN vs SN, every workload, threads 1.." + t, ">= 1", "every", collectAllThreads(all, t), 1, true);
        List<Workload> byDesign = new ArrayList<>();
        for (Workload w : Workload.values()) {
            if (w.id().equals("band-join") || w.id().equals("multi-key-count")) {
                byDesign.add(w);
            }
        }
        target(a, "VSN vs SN where VSN wins by design (band-join, multi-key-count), threads " + t, ">= 1.5", "every",
                collect(byDesign, c -> ratio(tps(c, "stretch-vsn", t), tps(c, "stretch-sn", t))), 1.5, true);
        List<Double> perCore = collect(keyedAggs, c -> {
            Double v = tps(c, "stretch-vsn", t);
            Double cores = ownCores(c, "stretch-vsn", t);
            return ratio(v == null || cores == null ? null : v / cores, tps(c, BenchSuite.LIMIT, 1));
        });
        double heaviest = 0;
        for (BenchSuite.Config c : configs) {
            ObjectNode r = BenchSuite.find(rows, c, BenchSuite.LIMIT, 1);
            if (keyedAggs.contains(c.workload()) && r != null && !r.has("error") && r.path("input_tuples").asLong() > 0) {
                heaviest = Math.max(heaviest, r.get("outputs").asDouble() / r.get("input_tuples").asDouble());
            }
        }
        ObjectNode pc = target(a, "keyed aggregates: VSN per used core vs hand loop (output-heavy config in the set: "
                + (heaviest >= 0.3 ? "yes" : "no") + ", up to " + round(heaviest, 2) + " results/input)", ">= 0.35",
                "geomean", perCore, 0.35, true);
        if (heaviest < 0.3 && pc.path("met").asText().equals("yes")) {
            pc.put("met", "no (no output-heavy configuration measured)");
        }
        List<Double> p99 = new ArrayList<>();
        for (ObjectNode l : latencyRows) {
            if (l.path("contender").asText().equals("stretch-vsn") && !l.has("error")) {
                p99.add(l.get("p99_ms").asDouble());
            }
        }
        target(a, "VSN p99 end-to-end latency at 80 % of max throughput, ms", "< 10", "every", p99, 10, false);
        if (reconfiguration != null && reconfiguration.has("reconfiguration")) {
            double r = reconfiguration.get("reconfiguration").path("p99_ms").asDouble(Double.NaN);
            target(a, "reconfiguration request to active, p99 ms (ReconfigurationBench)", "< 5", "every", List.of(r), 5,
                    false);
        }
        return a;
    }

    /** VSN / SN of every configuration of {@code ws} at every thread count 1..t. */
    private List<Double> collectAllThreads(List<Workload> ws, int t) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i <= t; i++) {
            int ti = i;
            out.addAll(collect(ws, c -> ratio(tps(c, "stretch-vsn", ti), tps(c, "stretch-sn", ti))));
        }
        return out;
    }

    private List<Double> collect(List<Workload> ws, java.util.function.Function<BenchSuite.Config, Double> f) {
        List<Double> out = new ArrayList<>();
        for (BenchSuite.Config c : configs) {
            if (ws.contains(c.workload())) {
                Double v = f.apply(c);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private ObjectNode target(ArrayNode a, String what, String goal, String rule, List<Double> values, double bound,
            boolean atLeast) {
        ObjectNode n = a.addObject();
        n.put("target", what);
        n.put("goal", goal);
        n.put("rule", rule);
        if (values.isEmpty()) {
            n.putNull("min");
            n.put("met", "not measured");
            return n;
        }
        double min = values.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
        double geo = Math.exp(values.stream().mapToDouble(Math::log).average().orElse(Double.NaN));
        n.put("min", round(min, 3));
        n.put("geomean", round(geo, 3));
        n.put("max", round(max, 3));
        n.put("n", values.size());
        if (goal.equals("-")) {
            n.put("met", "-");
            return n;
        }
        double judged = rule.equals("geomean") ? geo : atLeast ? min : max;
        boolean met = atLeast ? judged >= bound : judged < bound;
        // how far the judged value is from the goal, as a factor: 1.0 = on the goal, < 1 = short of it
        double ofGoal = atLeast ? judged / bound : bound / judged;
        n.put("met", met ? "yes" : "no");
        n.put("judged_value", round(judged, 3));
        n.put("of_goal", round(ofGoal, 3));
        if (!met) {
            long missing = values.stream().filter(v -> atLeast ? v < bound : v >= bound).count();
            n.put("configurations_missing", missing);
        }
        return n;
    }

    private ObjectNode reconfiguration() throws IOException {
        if (o.reconfiguration != null) {
            Path p = o.reconfiguration.resolve("latest.json");
            if (Files.exists(p)) {
                JsonNode n = om.readTree(p.toFile());
                if (n.has("reconfiguration")) {
                    ObjectNode r = om.createObjectNode();
                    r.set("reconfiguration", n.get("reconfiguration"));
                    if (n.has("reconfiguration_detail")) {
                        r.set("reconfiguration_detail", n.get("reconfiguration_detail"));
                    }
                    Path md = o.reconfiguration.resolve("reconfiguration.md");
                    if (Files.exists(md)) {
                        r.put("markdown", Files.readString(md));
                    }
                    return r;
                }
            }
        }
        Path old = o.results.resolve("latest.json");
        if (Files.exists(old)) {
            JsonNode n = om.readTree(old.toFile());
            if (n.has("reconfiguration")) {
                ObjectNode r = om.createObjectNode();
                r.set("reconfiguration", n.get("reconfiguration"));
                if (n.has("reconfiguration_detail")) {
                    r.set("reconfiguration_detail", n.get("reconfiguration_detail"));
                }
                r.put("from_previous_run", true);
                return r;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ Markdown

    private String markdown(ObjectNode json, ObjectNode reconfiguration, List<Path> plots) {
        StringBuilder s = new StringBuilder();
        int t = o.maxThreads;
        s.append("# STRETCH vs Flink vs hand-written loop — ").append(date).append(o.quick ? " (quick)" : "").append("\n\n");
        s.append("Command: `").append(o.command).append("` — ").append(String.format(Locale.ROOT, "%.1f", minutes))
                .append(" min. Everything below was measured in this one run, on this machine; nothing is copied "
                        + "from elsewhere.\n\n");
        s.append("**Machine**: ").append(Runtime.getRuntime().availableProcessors()).append(" cores (")
                .append(Machine.cpu()).append("), ").append(memoryGb()).append(" GB RAM, ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version")).append(", ")
                .append(Machine.jvm()).append(". **JVM flags of every contender JVM**: `")
                .append(String.join(" ", o.jvmFlags)).append("` (throughput), `")
                .append(String.join(" ", o.latencyJvmFlags)).append("` (latency runs). ")
                .append("**Load average** (1/5/15 min) before: `").append(loadBefore).append("`, after: `")
                .append(loadAfter).append("`. The machine is shared with other sessions: each row records the CPU "
                        + "that other processes used during the measurement (`other cores`)");
        s.append(o.quick ? "; quick mode does not re-run contended measurements.\n\n"
                : String.format(Locale.ROOT, "; before each run the suite waits (up to %.0f s) for the rest of the "
                        + "machine to use less than %.2f cores, and a measurement with other cores > %.2f was re-run "
                        + "(up to %d extra attempts) and the least contended attempt kept.%n%n", o.quietWaitSeconds,
                        o.maxOtherCores, o.retryOtherCores,
                        o.retries >= 0 ? o.retries : 1));
        if (!failures.isEmpty()) {
            s.append("## ⚠ FAILURES — do not trust this run\n\n");
            failures.forEach(f -> s.append("- ").append(f).append('\n'));
            s.append('\n');
        }

        s.append("## Against the targets (issue 15, design.md §8)\n\n| target | goal | judged on | min | geomean | max | n "
                + "| met | judged value / goal | configurations missing |\n|---|---|---|---:|---:|---:|---:|---|---:|---:|\n");
        for (JsonNode n : json.get("targets")) {
            s.append("| ").append(n.get("target").asText()).append(" | ").append(n.get("goal").asText()).append(" | ")
                    .append(n.path("rule").asText("-")).append(" | ").append(num(n.get("min"))).append(" | ")
                    .append(num(n.get("geomean"))).append(" | ").append(num(n.get("max"))).append(" | ")
                    .append(n.path("n").asText("0")).append(" | ").append(n.get("met").asText()).append(" | ")
                    .append(n.has("of_goal") ? num(n.get("of_goal")) + "×" : "-").append(" | ")
                    .append(n.has("configurations_missing") ? n.get("configurations_missing").asText() : "-")
                    .append(" |\n");
        }
        s.append("\nRatios are per configuration (workload × keys × distribution), then summarised; \"per used core\" "
                + "divides this engine's tuples/s by the CPU cores its JVM actually used (process CPU time / wall "
                + "time: source, operator, sink, GC and JIT threads) and compares with the single-threaded hand loop.\n\n");

        s.append("## Throughput, M tuples/s\n\nThreads = instances of each keyed operator; every engine contender "
                + "reads ").append(o.splits > 0 ? o.splits + " source split(s)" : "as many source splits as threads")
                .append(" per input stream (Flink: all operators at parallelism p = threads). Hand loop: one thread. ")
                .append("Input tuples count both streams for the join.\n\n");
        s.append("| workload | keys | dist | events/stream | hand loop |");
        for (String e : BenchSuite.ENGINES) {
            for (int k = 1; k <= t; k++) {
                s.append(' ').append(shortName(e)).append(" t=").append(k).append(" |");
            }
        }
        s.append(" VSN/Flink t=").append(t).append(" | VSN/SN t=").append(t).append(" | VSN/limit per used core t=")
                .append(t).append(" |\n|---|---:|---|---:|---:|");
        for (int k = 0; k < BenchSuite.ENGINES.size() * t + 3; k++) {
            s.append("---:|");
        }
        s.append('\n');
        for (BenchSuite.Config c : configs) {
            ObjectNode any = BenchSuite.find(rows, c, BenchSuite.LIMIT, 1);
            s.append("| ").append(c.workload().id()).append(" | ").append(c.keys()).append(" | ").append(c.dist()).append(" | ")
                    .append(any != null && any.has("events_per_stream") ? sci(any.get("events_per_stream").asDouble()) : "")
                    .append(" | ").append(m(tps(c, BenchSuite.LIMIT, 1))).append(" |");
            for (String e : BenchSuite.ENGINES) {
                for (int k = 1; k <= t; k++) {
                    s.append(' ').append(m(tps(c, e, k))).append(" |");
                }
            }
            Double cores = ownCores(c, "stretch-vsn", t);
            Double vsn = tps(c, "stretch-vsn", t);
            s.append(' ').append(x(ratio(vsn, tps(c, "flink", t)))).append(" | ").append(x(ratio(vsn, tps(c, "stretch-sn", t))))
                    .append(" | ").append(x(ratio(vsn == null || cores == null ? null : vsn / cores, tps(c, BenchSuite.LIMIT, 1))))
                    .append(" |\n");
        }
        s.append("\nRatios at every thread count (VSN/Flink, SN/Flink, VSN/SN, VSN per thread / limit, VSN per used core / limit, cores used by the VSN JVM):\n\n")
                .append("| workload | keys | dist | t | VSN/Flink | SN/Flink | VSN/SN | VSN/limit per thread | VSN/limit per used core | VSN cores used |\n")
                .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode n : json.get("ratios")) {
            s.append("| ").append(n.get("workload").asText()).append(" | ").append(n.get("keys").asInt()).append(" | ")
                    .append(n.get("distribution").asText()).append(" | ").append(n.get("threads").asInt()).append(" | ")
                    .append(num(n.get("vsn_over_flink"))).append(" | ").append(num(n.get("sn_over_flink"))).append(" | ")
                    .append(num(n.get("vsn_over_sn"))).append(" | ").append(num(n.get("vsn_per_thread_over_limit")))
                    .append(" | ").append(num(n.get("vsn_per_used_core_over_limit"))).append(" | ")
                    .append(num(n.get("vsn_cores_used"))).append(" |\n");
        }

        s.append("\n## Output verification\n\nEvery contender's output count and order-independent checksum (wrapping "
                + "sum of a 64-bit mix of each output record's fields) must equal the hand loop's for the same "
                + "configuration, and every repetition must equal the first; otherwise the run fails.\n\n"
                + "| configuration | result |\n|---|---|\n");
        verification.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));

        if (!latencyRows.isEmpty()) {
            s.append("\n## End-to-end latency at 80 % of each contender's sustained rate (t=").append(t)
                    .append(")\n\n").append(o.quick ? "" : "Measured for 1k uniform and 100k Zipf keys of each workload "
                            + "(9 s paced runs, the first 3 s of event time not recorded).\n\n")
                    .append("Every contender's latency JVM runs with `").append(String.join(" ", o.latencyJvmFlags))
                    .append("`: with ParallelGC the young pauses (~55 ms here) were the whole tail. ")
                    .append(o.latencyRateFromThroughputJvm
                            ? "Each run is paced at 80 % of the contender's throughput-run rate (JVM `"
                                    + String.join(" ", o.jvmFlags) + "`).\n\n"
                            : "The sustained rate is what the contender achieves *unpaced in a JVM with these same flags* "
                                    + "(same events, repetitions and output checks as its throughput run, at t=" + t
                                    + "), measured just before its latency run: 80 % of the throughput table's rate "
                                    + "(`" + String.join(" ", o.jvmFlags) + "`) can be more than the latency JVM sustains, "
                                    + "and its tail is then a growing queue, not latency. Both rates are in the table "
                                    + "(`paced_from` in the JSON); the pace is 80 % of the one marked *.\n\n")
                    .append("| configuration | contender | unpaced M/s, throughput JVM | unpaced M/s, latency JVM | paced at M/s | achieved M/s | outputs recorded | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | GC ms | other cores |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (ObjectNode l : latencyRows) {
                String label = l.path("workload").asText() + " " + l.path("keys").asInt() / 1000 + "k " + l.path("distribution").asText();
                if (l.has("error")) {
                    s.append("| ").append(label).append(" | ").append(l.path("contender").asText()).append(" | failed: ")
                            .append(l.get("error").asText().replace('|', '/')).append(" ||||||||||||\n");
                    continue;
                }
                JsonNode pf = l.path("paced_from");
                boolean usedLatencyJvm = pf.path("used").asText().equals("latency_jvm");
                s.append("| ").append(label).append(" | ").append(l.get("contender").asText())
                        .append(l.has("fell_behind_first") ? " ²" : "").append(" | ")
                        .append(pf.has("throughput_run_tuples_per_s") ? m(pf.get("throughput_run_tuples_per_s").asDouble())
                                + (usedLatencyJvm ? "" : " *") : "–").append(" | ")
                        .append(pf.has("latency_jvm_tuples_per_s") ? m(pf.get("latency_jvm_tuples_per_s").asDouble())
                                + (usedLatencyJvm ? " *" : "") : "–").append(" | ")
                        .append(m(l.get("rate").asDouble())).append(" | ").append(m(l.get("achieved_tuples_per_s").asDouble()))
                        .append(" | ").append(l.get("latency_samples").asLong()).append(" | ").append(num(l.get("p50_ms")))
                        .append(" | ").append(num(l.get("p90_ms"))).append(" | ").append(num(l.get("p99_ms"))).append(" | ")
                        .append(num(l.get("p999_ms"))).append(" | ").append(num(l.get("max_ms"))).append(" | ")
                        .append(l.get("gc_ms").asLong()).append(" | ").append(num(l.get("other_cores"))).append(" |\n");
            }
            s.append("\nLatency of an output = the wall time its sink writer received it − the scheduled release time "
                    + "of the event that closed its window (the first event with timestamp ≥ window end in the last "
                    + "split to reach it). Sources release event i at t0 + i / rate (paced, strided splits), so a "
                    + "contender that falls behind its schedule pays for it in latency. Outputs of windows that end in "
                    + "the first seconds (JIT warm-up) are not recorded. This engine has no latency knobs (defaults); "
                    + "Flink runs with buffer timeout 1 ms and watermark interval 5 ms for these runs (its throughput "
                    + "runs keep the defaults 100 ms / 200 ms).\n");
            StringBuilder behind = new StringBuilder();
            for (ObjectNode l : latencyRows) {
                JsonNode f = l.get("fell_behind_first");
                if (f != null) {
                    behind.append(String.format(Locale.ROOT, "%s%s %dk %s %s: paced at %s M/s it achieved %s M/s (p50 %s ms, "
                            + "p99 %s ms)", behind.length() == 0 ? "" : "; ", l.path("workload").asText(),
                            l.path("keys").asInt() / 1000, l.path("distribution").asText(), l.path("contender").asText(),
                            m(f.get("rate").asDouble()), m(f.get("achieved_tuples_per_s").asDouble()), num(f.get("p50_ms")),
                            num(f.get("p99_ms"))));
                }
            }
            StringBuilder where = new StringBuilder();
            for (ObjectNode l : latencyRows) {
                JsonNode tr = l.get("latency_trace");
                if (tr == null) {
                    continue;
                }
                JsonNode lag = tr.path("source_lag_ms");
                where.append("| ").append(l.path("workload").asText()).append(' ').append(l.path("keys").asInt() / 1000)
                        .append("k ").append(l.path("distribution").asText()).append(" | ").append(l.path("contender").asText())
                        .append(" | ").append(tr.path("windows").asLong()).append(" | ")
                        .append(lag.has("p50") ? num(lag.get("p50")) + " / " + num(lag.get("p99")) : "–").append(" | ")
                        .append(num(tr.path("first_result_ms").path("p50"))).append(" / ")
                        .append(num(tr.path("first_result_ms").path("p99"))).append(" | ")
                        .append(num(tr.path("burst_ms").path("p50"))).append(" / ").append(num(tr.path("burst_ms").path("p99")))
                        .append(" | ").append(pair(tr.path("source_lag_at_close_ms"))).append(" | ")
                        .append(pair(tr.path("first_result_after_source_ms"))).append(" |\n");
            }
            if (where.length() > 0) {
                s.append("\nWhere the latency goes (`latency_trace` in the JSON; windows ending at a multiple of 100 ms): "
                        + "*source lag* = how late this engine's benchmark source handed events over against their "
                        + "schedule (backpressure; per read), *first result* = per window, the latency of its first "
                        + "result at a sink (queueing, watermark propagation, the instance's turn), *burst* = per window, "
                        + "last minus first result (emission, instances closing it at different times).\n\n"
                        + "*Source lag* counts every read of the whole run alike, so a backlog made of few large late "
                        + "reads can sit above its p99 (see max in the JSON); per window: *closing event late* = how late "
                        + "the last split handed over the window's closing event, *engine part* = first result minus "
                        + "that (what the engine took once the closing event was in).\n\n"
                        + "| configuration | contender | windows | source lag p50 / p99 ms | first result p50 / p99 ms | "
                        + "burst p50 / p99 ms | closing event late p50 / p99 ms | engine part p50 / p99 ms |\n"
                        + "|---|---|---:|---:|---:|---:|---:|---:|\n").append(where);
            }
            if (behind.length() > 0) {
                s.append("\n² Fell behind at 80 % of its sustained rate (that unpaced run was faster than what the contender "
                        + "sustains under pacing), so it was paced again at 80 % of what it achieved; the row shows the "
                        + "second run. First runs: ").append(behind).append(".\n");
            }
        }

        s.append("\n## Heap, GC and CPU per contender run\n\nFrom the contender JVM over its measured repetitions: "
                + "GC time and count (GarbageCollectorMXBeans), peak heap in use (MemoryMXBean sampled every 20 ms; "
                + "includes the pre-generated input, 8 bytes per event up to 2^24 events per stream), CPU cores used by "
                + "the JVM and by everything else on the machine.\n\n"
                + "| workload | keys | dist | contender | t | reps | GC ms | GC share | heap peak MB | own cores | other cores | load before → after |\n"
                + "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (ObjectNode r : rows) {
            if (r.has("error")) {
                continue;
            }
            s.append("| ").append(r.get("workload").asText()).append(" | ").append(r.get("keys").asInt()).append(" | ")
                    .append(r.get("distribution").asText()).append(" | ").append(r.get("contender").asText()).append(" | ")
                    .append(r.get("threads").asInt()).append(" | ").append(r.get("rep_seconds").size()).append(" | ")
                    .append(r.get("gc_ms").asLong()).append(" | ").append(num(r.get("gc_share"))).append(" | ")
                    .append(r.get("heap_peak_mb").asLong()).append(" | ").append(num(r.get("own_cores"))).append(" | ")
                    .append(num(r.get("other_cores"))).append(" | ").append(first(r.get("loadavg_before").asText()))
                    .append(" → ").append(first(r.get("loadavg_after").asText())).append(" |\n");
        }

        s.append("\n## Reconfiguration latency\n\n");
        if (reconfiguration == null) {
            s.append("Not measured (run `bench/run --only reconfiguration`).\n");
        } else if (reconfiguration.has("markdown")) {
            s.append("Measured in this run by `ReconfigurationBench` (same JVM flags), before the contenders; its "
                    + "own report follows.\n\n");
            s.append(reconfiguration.get("markdown").asText().replaceFirst("^## [^\n]*\n", "")).append('\n');
        } else {
            s.append("Not measured in this run; latest.json keeps the previous run's values: `")
                    .append(reconfiguration.get("reconfiguration")).append("`.\n");
        }

        if (!profiles.isEmpty()) {
            s.append("\n## Where this engine spends its time (JFR, separate profiled runs)\n\n"
                    + "JFR `settings=profile` (execution samples every 10 ms per running thread), this engine at t=")
                    .append(t).append(", quick-size input, 3+ repetitions; numbers are shares of all samples. "
                            + "Summaries are generated from the recordings (kept in `bench/work/`).\n");
            for (JfrSummary.Profile p : profiles) {
                s.append("\n### ").append(p.config()).append(", ").append(p.contender()).append(String.format(Locale.ROOT,
                        " (%.2f M tuples/s while profiled, %d samples)%n%n", p.tuplesPerSecond() / 1e6, p.samples()));
                s.append("By engine task: ").append(shares(p.byStage(), p.samples())).append("\n\n");
                s.append("By code (innermost frame's package): ").append(shares(p.byCategory(), p.samples())).append("\n\n");
                s.append("| top frames (self) | share |\n|---|---:|\n");
                p.selfTop().forEach((k, v) -> s.append("| `").append(k).append("` | ").append(pct(v, p.samples())).append(" |\n"));
                s.append("\n| engine methods on the stack (inclusive) | share |\n|---|---:|\n");
                p.engineInclusiveTop().forEach((k, v) -> s.append("| `").append(k).append("` | ").append(pct(v, p.samples())).append(" |\n"));
            }
            Path findings = o.results.resolve("findings.md");
            if (Files.exists(findings)) {
                s.append("\nInterpretation and suggestions for the engine: see [findings.md](findings.md).\n");
            }
        }

        s.append("\n## Method\n\n");
        s.append("- **Workloads** (`Workload`): tumbling-count (key by key, tumbling 100 ms, count); sliding-avg "
                + "(1000 ms every 100 ms, WS/WA = 10, average of value as (double) sum / count; windows starting "
                + "before 0 and ending after the last event included); window-join (streams A, B joined on key in "
                + "tumbling 100 ms windows, all pairs); pipeline-3 (map v→2v+1, keyed tumbling 100 ms sum, then "
                + "key mod 100 tumbling 1000 ms sum). Keys 1 000 and 100 000, uniform or Zipf s = 1.0; seeds 42 (A) "
                + "and 43 (B); event i has timestamp i / events-per-ms (1000, the join 10 uniform / 1 Zipf so its "
                + "output stays about one pair per input).\n");
        s.append("- **Input**: generated before any clock starts (`Dataset`: counter-based generator, event i from "
                + "(seed, i) alone) and replayed from int columns by every contender; sources use strided splits "
                + "(split j of P reads j, j+P, …) so none holds windows back.\n");
        s.append("- **Contenders**, each in its own JVM (`java -cp`, same flags): this engine in VSN and SN mode "
                + "(public API, JobConfig defaults, built-in aggregations); Apache Flink 2.3.0 DataStream on a local "
                + "MiniCluster (settings below); a hand-written single-threaded loop over the same columns with "
                + "primitive state behind an open-addressing key index (`HandLoop`), the practical limit per core.\n");
        s.append("- **Throughput**: input tuples / (last sink close − first source read): engine start-up, "
                + "Flink's MiniCluster start and job deployment (`startup_s` in latest.json) are excluded. Engines: a "
                + "warm-up repetition, then at least ").append(o.quick ? "3 repetitions and 0.6 s" : "4 repetitions and 2 s")
                .append(" of measurement, median reported; Flink: a warm-up job with a tenth of the events, then one "
                        + "measured job of several seconds; hand loop: warm-up + at least 5 repetitions.\n");
        s.append("- **Flink settings** (throughput runs):\n");
        FlinkJobs.settings(false, 100, 200).forEach((k, v) -> s.append("  - `").append(k).append("`: ").append(v).append('\n'));
        s.append("  - latency runs: buffer timeout 1 ms, watermark interval 5 ms (everything else the same).\n");
        if (o.quick) {
            s.append("- **Quick mode** (`--quick`): only 1 000 uniform keys, a sixth of the events, 3 repetitions, "
                    + "Flink without its warm-up job (its JIT warm-up is inside the measured job), "
                    + "latency only for tumbling-count (5 s runs), no re-runs of contended measurements and no "
                    + "waiting for a quiet machine before each run (full: up to 5 s), no JFR "
                    + "profiles, reconfiguration with 10 cycles per schedule.\n");
        }
        if (!plots.isEmpty()) {
            s.append("\n## Plots\n\n");
            for (Path p : plots) {
                String rel = o.results.relativize(p).toString();
                s.append("![").append(p.getFileName()).append("](").append(rel).append(")\n");
            }
        }
        return s.toString();
    }

    private static String shortName(String e) {
        return switch (e) {
            case "stretch-vsn" -> "VSN";
            case "stretch-sn" -> "SN";
            case "flink" -> "Flink";
            default -> e;
        };
    }

    private static String shares(Map<String, Long> m, long total) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append('`').append(k).append("` ").append(pct(v, total)));
        return sb.toString();
    }

    private static String pct(long v, long total) {
        return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * v / total);
    }

    private static String first(String load) {
        String[] f = load.split(" ");
        return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : load;
    }

    /** "p50 / p99" of a latency_trace quantile object, or a dash when absent (not this engine's source). */
    private static String pair(JsonNode q) {
        return q.has("p50") ? num(q.get("p50")) + " / " + num(q.get("p99")) : "–";
    }

    private static String m(Double v) {
        return v == null ? "–" : v >= 100e6 ? String.format(Locale.ROOT, "%.0f", v / 1e6)
                : String.format(Locale.ROOT, v >= 1e6 ? "%.2f" : "%.3f", v / 1e6);
    }

    private static String x(Double v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f×", v);
    }

    private static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v).replace("e+0", "e").replace("e+", "e");
    }

    private static String num(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "–";
        }
        double v = n.asDouble();
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static long memoryGb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().maxMemory() >> 30;
    }
}
