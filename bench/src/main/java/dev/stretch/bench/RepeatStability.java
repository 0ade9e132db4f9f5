package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Run-to-run stability: one configuration (keyed tumbling count, 1 000 uniform keys, VSN, two instances,
 * two source splits, two sink instances) launched again and again, each time in a fresh JVM with the
 * suite's flags ({@link ContenderRun}, one measured repetition, no warm-up, the same input every time).
 * A launch that stalls, e.g. an instance burning the core its slower sibling needs, shows up as an
 * outlier against the median. Target: max at most 1.5 x median.
 *
 * <p>Reports {@code repeat_stability: {runs, median_s, max_s, ...}} in {@code latest.json} (seconds from the
 * first source read to the last sink close, as the side-by-side runs measure) and a markdown file.
 *
 * <p>Usage: {@code RepeatStability runs events resultsDir workDir classpath jvmFlags...}.
 */
public final class RepeatStability {
    private RepeatStability() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[0]);
        long events = Long.parseLong(args[1]);
        Path results = Path.of(args[2]);
        Path work = Path.of(args[3]);
        String classpath = args[4];
        List<String> jvmFlags = List.of(Arrays.copyOfRange(args, 5, args.length));
        Files.createDirectories(results);
        Files.createDirectories(work);
        Path log = work.resolve("repeat-stability.log");
        Files.deleteIfExists(log);
        ContenderProcess proc = new ContenderProcess(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                jvmFlags, classpath, log, 900);
        List<String> config = List.of("workload=tumbling-count", "keys=1000", "dist=uniform", "contender=stretch-vsn",
                "threads=2", "splits=2", "events=" + events, "reps=1", "warmUp=false", "minSeconds=0");
        ObjectMapper om = new ObjectMapper();
        String loadBefore = JvmProbe.loadAverage();
        List<Double> seconds = new ArrayList<>();
        List<Long> gcMs = new ArrayList<>();
        List<String> loads = new ArrayList<>();
        String checksum = null;
        for (int i = 1; i <= runs; i++) {
            String load = JvmProbe.loadAverage();
            ObjectNode r = proc.run(List.of(), config, om);
            if (r.has("error")) {
                throw new IllegalStateException("launch " + i + " failed: " + r.get("error").asText() + " (log: " + log + ")");
            }
            if (checksum == null) {
                checksum = r.get("checksum").asText();
            } else if (!checksum.equals(r.get("checksum").asText())) {
                throw new IllegalStateException("launch " + i + " produced checksum " + r.get("checksum").asText()
                        + ", the first " + checksum);
            }
            double s = r.get("rep_seconds").get(0).asDouble();
            seconds.add(s);
            gcMs.add(r.path("gc_ms").asLong());
            loads.add(load.split(" ")[0]);
            System.out.printf(Locale.ROOT, "launch %2d/%d: %.3f s (gc %d ms, load %s)%n", i, runs, s, r.path("gc_ms").asLong(),
                    load.split(" ")[0]);
            System.out.flush();
        }
        double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        double max = sorted[n - 1];
        String loadAfter = JvmProbe.loadAverage();

        ObjectNode o = om.createObjectNode();
        o.put("runs", n);
        o.put("median_s", round(median));
        o.put("max_s", round(max));
        ObjectNode d = o.putObject("detail");
        d.put("max_over_median", round(max / median));
        d.put("min_s", round(sorted[0]));
        ArrayNode all = d.putArray("seconds");
        seconds.forEach(x -> all.add(round(x)));
        ArrayNode gcs = d.putArray("gc_ms");
        gcMs.forEach(gcs::add);
        ArrayNode ls = d.putArray("loadavg_1min_at_launch");
        loads.forEach(ls::add);
        d.put("configuration", String.join(" ", config));
        d.put("jvm_flags", String.join(" ", jvmFlags));
        d.put("checksum", checksum);
        d.put("machine", Machine.cores() + " cores (" + Machine.cpu() + "), " + Machine.jvm());
        d.put("loadavg_before", loadBefore);
        d.put("loadavg_after", loadAfter);
        d.put("command", "bench/run --only repeat" + (runs != 30 ? " --repeat-runs " + runs : "")
                + (events != RepeatDefaults.EVENTS ? " --repeat-events " + events : ""));
        Results.put(results, "repeat_stability", o);

        String md = String.format(Locale.ROOT, "## Repeat stability%n%nCommand: `%s`. Machine: %s. JVM flags: `%s`. Load "
                + "average before/after: %s / %s.%n%n%s, launched %d times, each in a fresh JVM (one measured repetition, "
                + "no warm-up).%n%n| runs | median s | max s | max / median | min s |%n|---:|---:|---:|---:|---:|%n"
                + "| %d | %.3f | %.3f | %.2f | %.3f |%n%nPer launch (s): %s.%n", d.get("command").asText(), d.get("machine")
                .asText(), String.join(" ", jvmFlags), loadBefore, loadAfter, String.join(" ", config), n, n, median, max,
                max / median, sorted[0], all);
        Files.writeString(results.resolve("repeat-stability.md"), md);
        System.out.print(md);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Defaults shared with {@code bench/run}. */
    static final class RepeatDefaults {
        /** About 4 s per launch on a quiet 2-core machine at VSN t = 2 (tumbling-count 1k uniform, ~18 M/s). */
        static final long EVENTS = 75_000_000L;

        private RepeatDefaults() {
        }
    }
}
