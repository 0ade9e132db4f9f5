package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two variants of this engine side by side in one run: the same {@link ContenderRun} configurations launched
 * alternately with variant A's and variant B's extra JVM flags (e.g. an engine switch such as
 * {@code -Dstretch.esg.sharedMerge=false}), each launch in a fresh JVM, rounds interleaved (A B, then B A, …)
 * so that drift in the machine's load hits both alike. Outputs must be identical between the variants (count
 * and checksum), or the run fails.
 *
 * <p>Per configuration it reports each variant's median throughput, the ratio B / A of the medians, the
 * median of the per-round ratios, and the same per CPU-second of the contender JVM (tuples/s divided by the
 * cores it used), which discounts time the JVM was not scheduled on a shared machine.
 *
 * <p>Usage: {@code SideBySide name=NAME rounds=N a=LABEL:FLAGS b=LABEL:FLAGS resultsDir=DIR workDir=DIR
 * classpath=CP [aClasspath=CP] [bClasspath=CP] jvmFlags="..." command="..."
 * configs=WORKLOAD:KEYS:DIST:CONTENDER:THREADS:EVENTS,...} (flags space-separated; a variant's own classpath
 * compares two builds, e.g. the base commit's against this one). Writes {@code DIR/<date>-NAME.md} and {@code .json}; exit 2 on mismatched output.
 *
 * <p>Latency mode: a configuration {@code WORKLOAD:KEYS:DIST:CONTENDER:THREADS:RATE:latency} runs both variants
 * paced at the same rate (see {@link Config}), with {@code latencyJvmFlags} (default {@code -Xms8g -Xmx8g
 * -XX:+UseG1GC}, as {@code bench/run}'s latency runs), and reports each variant's median p50, p99 and achieved
 * rate, and the medians of the per-round p99 and p50 ratios B / A (below 1: B is faster).
 */
public final class SideBySide {
    private SideBySide() {
    }

    record Variant(String label, List<String> flags) {
        static Variant parse(String s) {
            int c = s.indexOf(':');
            String flags = c < 0 ? "" : s.substring(c + 1).strip();
            return new Variant(c < 0 ? s : s.substring(0, c), flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")));
        }
    }

    /**
     * One configuration: {@code WORKLOAD:KEYS:DIST:CONTENDER:THREADS:EVENTS} (throughput), or
     * {@code WORKLOAD:KEYS:DIST:CONTENDER:THREADS:RATE:latency} (a paced latency run at {@code RATE} input
     * tuples/s for {@link #LATENCY_SECONDS} s, the first {@link #LATENCY_SKIP_SECONDS} s not recorded, as
     * {@code bench/run}'s latency runs).
     */
    record Config(String workload, int keys, String dist, String contender, int threads, long events, double rate) {
        static final double LATENCY_SECONDS = 9;
        static final double LATENCY_SKIP_SECONDS = 3;

        static Config parse(String s) {
            String[] p = s.split(":");
            boolean latency = p.length == 7 && p[6].equals("latency");
            if (p.length != 6 && !latency) {
                throw new IllegalArgumentException("config must be WORKLOAD:KEYS:DIST:CONTENDER:THREADS:EVENTS or "
                        + "WORKLOAD:KEYS:DIST:CONTENDER:THREADS:RATE:latency, was " + s);
            }
            double n = Double.parseDouble(p[5]);
            return new Config(p[0], Integer.parseInt(p[1]), p[2], p[3], Integer.parseInt(p[4]), latency ? 0 : (long) n,
                    latency ? n : 0);
        }

        boolean latency() {
            return rate > 0;
        }

        String label() {
            return workload + " " + (keys >= 1000 ? keys / 1000 + "k" : Integer.toString(keys)) + " " + dist + " " + contender
                    + " t=" + threads + (latency() ? String.format(Locale.ROOT, " paced %.2f M/s", rate / 1e6) : "");
        }

        List<String> args() {
            if (latency()) {
                return List.of("workload=" + workload, "keys=" + keys, "dist=" + dist, "contender=" + contender,
                        "threads=" + threads, "splits=" + threads, "rate=" + (long) rate, "seconds=" + LATENCY_SECONDS,
                        "skipSeconds=" + LATENCY_SKIP_SECONDS);
            }
            return List.of("workload=" + workload, "keys=" + keys, "dist=" + dist, "contender=" + contender,
                    "threads=" + threads, "splits=" + threads, "events=" + events, "reps=3", "minSeconds=1");
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = ContenderRun.parse(args);
        String name = a.get("name");
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
        Variant va = Variant.parse(a.get("a"));
        Variant vb = Variant.parse(a.get("b"));
        Path results = Path.of(a.getOrDefault("resultsDir", "bench/results"));
        Path work = Path.of(a.getOrDefault("workDir", "bench/work"));
        List<String> jvmFlags = List.of(a.getOrDefault("jvmFlags", "-Xms8g -Xmx8g -XX:+UseParallelGC").strip().split("\\s+"));
        List<Config> configs = new ArrayList<>();
        for (String c : a.get("configs").split(",")) {
            configs.add(Config.parse(c.strip()));
        }
        Files.createDirectories(results);
        Files.createDirectories(work);
        Path log = work.resolve("side-by-side-" + name + ".log");
        Files.deleteIfExists(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // a variant may run on a classpath of its own (e.g. a build of the base commit): aClasspath=, bClasspath=
        ContenderProcess procA = new ContenderProcess(java, jvmFlags, a.getOrDefault("aClasspath", a.get("classpath")), log, 900);
        ContenderProcess procB = new ContenderProcess(java, jvmFlags, a.getOrDefault("bClasspath", a.get("classpath")), log, 900);
        List<String> latencyFlags = List.of(a.getOrDefault("latencyJvmFlags", BenchSuite.DEFAULT_LATENCY_JVM_FLAGS).strip()
                .split("\\s+"));
        ContenderProcess latA = new ContenderProcess(java, latencyFlags, a.getOrDefault("aClasspath", a.get("classpath")), log, 900);
        ContenderProcess latB = new ContenderProcess(java, latencyFlags, a.getOrDefault("bClasspath", a.get("classpath")), log, 900);
        StringBuilder latencyTable = new StringBuilder();
        int throughputRows = 0;
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        long t0 = System.nanoTime();
        String loadBefore = JvmProbe.loadAverage();
        List<String> failures = new ArrayList<>();
        ObjectNode out = om.createObjectNode();
        out.put("date", LocalDate.now().toString());
        out.put("name", name);
        out.put("command", a.getOrDefault("command", ""));
        ObjectNode machine = out.putObject("machine");
        machine.put("cores", Machine.cores());
        machine.put("cpu", Machine.cpu());
        machine.put("jvm", Machine.jvm());
        out.put("jvm_flags", String.join(" ", jvmFlags));
        out.put("variant_a", va.label() + ": " + String.join(" ", va.flags()));
        out.put("variant_b", vb.label() + ": " + String.join(" ", vb.flags()));
        out.put("a_classpath_differs", a.containsKey("aClasspath"));
        out.put("b_classpath_differs", a.containsKey("bClasspath"));
        out.put("rounds", rounds);
        out.put("loadavg_before", loadBefore);
        ArrayNode rows = out.putArray("configurations");
        StringBuilder table = new StringBuilder();
        table.append("| configuration | ").append(va.label()).append(" M/s (median) | ").append(vb.label())
                .append(" M/s (median) | ").append(vb.label()).append(" / ").append(va.label())
                .append(" | median of per-round ratios | per CPU-s ratio | ").append(va.label()).append(" cores | ")
                .append(vb.label()).append(" cores | other cores (max) | outputs |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Config c : configs) {
            List<ObjectNode> ra = new ArrayList<>();
            List<ObjectNode> rb = new ArrayList<>();
            String check = null;
            for (int r = 0; r < rounds; r++) {
                boolean aFirst = r % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    Variant v = (k == 0) == aFirst ? va : vb;
                    ObjectNode res = (c.latency() ? (v == va ? latA : latB) : (v == va ? procA : procB)).run(v.flags(), c.args(), om);
                    if (res.has("error")) {
                        failures.add(c.label() + " " + v.label() + ": " + res.get("error").asText());
                        continue;
                    }
                    String sum = res.get("outputs").asLong() + "/" + res.get("checksum").asText();
                    if (check == null) {
                        check = sum;
                    } else if (!check.equals(sum)) {
                        failures.add(c.label() + " " + v.label() + ": output " + sum + " differs from " + check);
                    }
                    res.put("variant", v.label());
                    res.put("round", r + 1);
                    (v == va ? ra : rb).add(res);
                    if (c.latency()) {
                        System.out.printf(Locale.ROOT, "%-40s %-10s round %d: p50 %.2f ms, p99 %.2f ms, achieved %.2f M/s, "
                                + "own cores %.2f, other cores %.2f%n", c.label(), v.label(), r + 1, res.get("p50_ms").asDouble(),
                                res.get("p99_ms").asDouble(), res.get("achieved_tuples_per_s").asDouble() / 1e6,
                                res.get("own_cores").asDouble(), res.get("other_cores").asDouble());
                    } else {
                        System.out.printf(Locale.ROOT, "%-40s %-10s round %d: %8.2f M/s, own cores %.2f, other cores %.2f%n",
                                c.label(), v.label(), r + 1, res.get("tuples_per_s").asDouble() / 1e6,
                                res.get("own_cores").asDouble(), res.get("other_cores").asDouble());
                    }
                }
            }
            if (ra.isEmpty() || rb.isEmpty()) {
                continue;
            }
            if (c.latency()) {
                latencyRow(c, ra, rb, rows.addObject(), latencyTable, check);
                continue;
            }
            double ma = medianOf(ra, "tuples_per_s");
            double mb = medianOf(rb, "tuples_per_s");
            int n = Math.min(ra.size(), rb.size());
            double[] paired = new double[n];
            double[] perCpu = new double[n];
            for (int i = 0; i < n; i++) {
                paired[i] = rb.get(i).get("tuples_per_s").asDouble() / ra.get(i).get("tuples_per_s").asDouble();
                perCpu[i] = (rb.get(i).get("tuples_per_s").asDouble() / Math.max(0.01, rb.get(i).get("own_cores").asDouble()))
                        / (ra.get(i).get("tuples_per_s").asDouble() / Math.max(0.01, ra.get(i).get("own_cores").asDouble()));
            }
            double ca = medianOf(ra, "own_cores");
            double cb = medianOf(rb, "own_cores");
            double other = 0;
            for (ObjectNode x : ra) {
                other = Math.max(other, x.get("other_cores").asDouble());
            }
            for (ObjectNode x : rb) {
                other = Math.max(other, x.get("other_cores").asDouble());
            }
            throughputRows++;
            ObjectNode row = rows.addObject();
            row.put("configuration", c.label());
            row.put("workload", c.workload());
            row.put("keys", c.keys());
            row.put("distribution", c.dist());
            row.put("contender", c.contender());
            row.put("threads", c.threads());
            row.put("events_per_stream", c.events());
            row.put("a_tuples_per_s", Math.round(ma));
            row.put("b_tuples_per_s", Math.round(mb));
            row.put("ratio_b_over_a", round3(mb / ma));
            row.put("paired_ratio_median", round3(median(paired)));
            row.put("per_cpu_ratio_median", round3(median(perCpu)));
            row.put("a_cores", round3(ca));
            row.put("b_cores", round3(cb));
            row.put("other_cores_max", round3(other));
            row.put("outputs", check);
            ArrayNode runs = row.putArray("runs");
            ra.forEach(runs::add);
            rb.forEach(runs::add);
            table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f× | %.2f× | %.2f× | %.2f | %.2f | %.2f | %s |%n",
                    c.label(), ma / 1e6, mb / 1e6, mb / ma, median(paired), median(perCpu), ca, cb, other, check));
        }
        String loadAfter = JvmProbe.loadAverage();
        out.put("loadavg_after", loadAfter);
        double minutes = (System.nanoTime() - t0) / 60e9;
        out.put("minutes", round3(minutes));
        ArrayNode fails = out.putArray("failures");
        failures.forEach(fails::add);
        String date = LocalDate.now().toString();
        Files.writeString(results.resolve(date + "-" + name + ".json"), om.writeValueAsString(out));
        StringBuilder md = new StringBuilder();
        md.append("# Side by side: ").append(vb.label()).append(" vs ").append(va.label()).append(" — ").append(date)
                .append("\n\n");
        md.append("Command: `").append(a.getOrDefault("command", "")).append("` — ")
                .append(String.format(Locale.ROOT, "%.1f min", minutes)).append(". Both variants in this one run, each launch a fresh JVM (`ContenderRun`, ")
                .append("3+ repetitions after a warm-up, median), rounds alternating the order (A B, B A, …).\n\n");
        md.append("**Machine**: ").append(Machine.cores()).append(" cores (").append(Machine.cpu()).append("), ")
                .append(Machine.jvm()).append(". **Contender JVM flags**: `").append(String.join(" ", jvmFlags))
                .append("`. **Variant A** (").append(va.label()).append("): `").append(String.join(" ", va.flags()))
                .append("`; **variant B** (").append(vb.label()).append("): `").append(String.join(" ", vb.flags()))
                .append("`. **Load average** before: `").append(loadBefore).append("`, after: `").append(loadAfter)
                .append("`.\n\n");
        if (throughputRows > 0 || latencyTable.length() == 0) {
            md.append(table).append('\n');
        }
        if (latencyTable.length() > 0) {
            md.append("Latency (paced runs, JVM flags `").append(String.join(" ", latencyFlags)).append("`, ")
                    .append((int) Config.LATENCY_SECONDS).append(" s, the first ").append((int) Config.LATENCY_SKIP_SECONDS)
                    .append(" s not recorded; latency as in `bench/run`):\n\n");
            md.append("| configuration | ").append(va.label()).append(" p50 ms | ").append(va.label()).append(" p99 ms | ")
                    .append(vb.label()).append(" p50 ms | ").append(vb.label()).append(" p99 ms | p99 ")
                    .append(vb.label()).append(" / ").append(va.label()).append(" (median per round) | p50 ratio | ")
                    .append(va.label()).append(" achieved M/s | ").append(vb.label())
                    .append(" achieved M/s | other cores (max) | outputs |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            md.append(latencyTable).append('\n');
        }
        md.append(throughputRows == 0 ? "Outputs: count/checksum, equal for both variants in every launch; a latency "
                + "ratio below 1 means B was faster. Latency on a shared machine follows its load (`other cores`): "
                + "compare the per-round ratios, not single runs.\n" : "")
                .append(throughputRows == 0 ? "" : "\"per CPU-s ratio\": each round's (tuples/s ÷ cores its JVM used) for B over A, median; it discounts "
                + "time a JVM was not scheduled when other processes shared the machine (`other cores`). Outputs: count/"
                + "checksum, equal for both variants in every launch.\n");
        if (!failures.isEmpty()) {
            md.append("\n## FAILURES\n\n");
            failures.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        Files.writeString(results.resolve(date + "-" + name + ".md"), md.toString());
        System.out.println(md);
        System.exit(failures.isEmpty() ? 0 : 2);
    }

    /** The median of one numeric field over a variant's runs. */
    private static double medianOf(List<ObjectNode> runs, String field) {
        return median(runs.stream().mapToDouble(x -> x.get(field).asDouble()).toArray());
    }

    /** Latency mode: each variant's median p50 / p99 / achieved rate, and the per-round ratios B / A. */
    private static void latencyRow(Config c, List<ObjectNode> ra, List<ObjectNode> rb, ObjectNode row, StringBuilder table,
            String check) {
        double a50 = medianOf(ra, "p50_ms");
        double a99 = medianOf(ra, "p99_ms");
        double b50 = medianOf(rb, "p50_ms");
        double b99 = medianOf(rb, "p99_ms");
        double aAch = medianOf(ra, "achieved_tuples_per_s");
        double bAch = medianOf(rb, "achieved_tuples_per_s");
        int n = Math.min(ra.size(), rb.size());
        double[] r99 = new double[n];
        double[] r50 = new double[n];
        for (int i = 0; i < n; i++) {
            r99[i] = rb.get(i).get("p99_ms").asDouble() / Math.max(0.001, ra.get(i).get("p99_ms").asDouble());
            r50[i] = rb.get(i).get("p50_ms").asDouble() / Math.max(0.001, ra.get(i).get("p50_ms").asDouble());
        }
        double other = 0;
        for (ObjectNode x : ra) {
            other = Math.max(other, x.get("other_cores").asDouble());
        }
        for (ObjectNode x : rb) {
            other = Math.max(other, x.get("other_cores").asDouble());
        }
        row.put("configuration", c.label());
        row.put("run", "latency");
        row.put("workload", c.workload());
        row.put("keys", c.keys());
        row.put("distribution", c.dist());
        row.put("contender", c.contender());
        row.put("threads", c.threads());
        row.put("rate", Math.round(c.rate()));
        row.put("a_p50_ms", a50);
        row.put("a_p99_ms", a99);
        row.put("b_p50_ms", b50);
        row.put("b_p99_ms", b99);
        row.put("p99_ratio_median", round3(median(r99)));
        row.put("p50_ratio_median", round3(median(r50)));
        row.put("a_achieved_tuples_per_s", Math.round(aAch));
        row.put("b_achieved_tuples_per_s", Math.round(bAch));
        row.put("other_cores_max", round3(other));
        row.put("outputs", check);
        ArrayNode runs = row.putArray("runs");
        ra.forEach(runs::add);
        rb.forEach(runs::add);
        table.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.2f× | %.2f× | %.2f | %.2f | %.2f | %s |%n",
                c.label(), a50, a99, b50, b99, median(r99), median(r50), aAch / 1e6, bAch / 1e6, other, check));
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
