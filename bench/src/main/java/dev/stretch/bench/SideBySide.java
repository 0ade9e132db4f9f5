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

    record Config(String workload, int keys, String dist, String contender, int threads, long events) {
        static Config parse(String s) {
            String[] p = s.split(":");
            if (p.length != 6) {
                throw new IllegalArgumentException("config must be WORKLOAD:KEYS:DIST:CONTENDER:THREADS:EVENTS, was " + s);
            }
            return new Config(p[0], Integer.parseInt(p[1]), p[2], p[3], Integer.parseInt(p[4]), (long) Double.parseDouble(p[5]));
        }

        String label() {
            return workload + " " + (keys >= 1000 ? keys / 1000 + "k" : Integer.toString(keys)) + " " + dist + " " + contender
                    + " t=" + threads;
        }

        List<String> args() {
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
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        long t0 = System.nanoTime();
        String loadBefore = JvmProbe.loadAverage();
        List<String> failures = new ArrayList<>();
        ObjectNode out = om.createObjectNode();
        out.put("date", LocalDate.now().toString());
        out.put("name", name);
        out.put("command", a.getOrDefault("command", ""));
        out.set("machine", Machine.json(om));
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
                    ObjectNode res = (v == va ? procA : procB).run(v.flags(), c.args(), om);
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
                    System.out.printf(Locale.ROOT, "%-40s %-10s round %d: %8.2f M/s, own cores %.2f, other cores %.2f%n",
                            c.label(), v.label(), r + 1, res.get("tuples_per_s").asDouble() / 1e6,
                            res.get("own_cores").asDouble(), res.get("other_cores").asDouble());
                }
            }
            if (ra.isEmpty() || rb.isEmpty()) {
                continue;
            }
            double ma = median(ra.stream().mapToDouble(x -> x.get("tuples_per_s").asDouble()).toArray());
            double mb = median(rb.stream().mapToDouble(x -> x.get("tuples_per_s").asDouble()).toArray());
            int n = Math.min(ra.size(), rb.size());
            double[] paired = new double[n];
            double[] perCpu = new double[n];
            for (int i = 0; i < n; i++) {
                paired[i] = rb.get(i).get("tuples_per_s").asDouble() / ra.get(i).get("tuples_per_s").asDouble();
                perCpu[i] = (rb.get(i).get("tuples_per_s").asDouble() / Math.max(0.01, rb.get(i).get("own_cores").asDouble()))
                        / (ra.get(i).get("tuples_per_s").asDouble() / Math.max(0.01, ra.get(i).get("own_cores").asDouble()));
            }
            double ca = median(ra.stream().mapToDouble(x -> x.get("own_cores").asDouble()).toArray());
            double cb = median(rb.stream().mapToDouble(x -> x.get("own_cores").asDouble()).toArray());
            double other = 0;
            for (ObjectNode x : ra) {
                other = Math.max(other, x.get("other_cores").asDouble());
            }
            for (ObjectNode x : rb) {
                other = Math.max(other, x.get("other_cores").asDouble());
            }
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
        md.append("**Machine**: ").append(Machine.describe()).append(". **JVM flags**: `").append(String.join(" ", jvmFlags))
                .append("`. **Variant A** (").append(va.label()).append("): `").append(String.join(" ", va.flags()))
                .append("`; **variant B** (").append(vb.label()).append("): `").append(String.join(" ", vb.flags()))
                .append("`. **Load average** before: `").append(loadBefore).append("`, after: `").append(loadAfter)
                .append("`.\n\n");
        md.append(table).append('\n');
        md.append("\"per CPU-s ratio\": each round's (tuples/s ÷ cores its JVM used) for B over A, median; it discounts "
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
