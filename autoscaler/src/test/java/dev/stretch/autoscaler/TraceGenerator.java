package dev.stretch.autoscaler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Generates the load traces under {@code src/test/resources/traces/}. They are committed; {@code
 * TraceGeneratorTest} checks that they still match this generator. To regenerate after a change:
 *
 * <pre>
 *   java -cp target/test-classes dev.stretch.autoscaler.TraceGenerator src/test/resources/traces
 * </pre>
 */
final class TraceGenerator {

    static final String STEP = "step-x4.csv";
    static final String NOISY = "noisy-band-edge.csv";
    static final String SKEWED = "skewed.csv";
    static final String MISSING_GAP = "missing-gap.csv";

    private TraceGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/traces");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : generateAll().entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> generateAll() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(STEP, step());
        out.put(NOISY, noisy());
        out.put(SKEWED, skewed());
        out.put(MISSING_GAP, missingGap());
        return out;
    }

    /** Load x4 from 60 s to 120 s on an operator sized for 67 % busy; a cheap sink follows it. */
    private static String step() {
        StringBuilder b = start("""
                # Generator step load: 1000/s, x4 (4000/s) from 60 s to 120 s, then 1000/s again until 399 s.
                # aggregate: 500/s per instance, 3 instances at the start (67 % busy), bounds [1, 16].
                # sink: 20000/s per instance, 1 instance, bounds [1, 4]: stays under the band and at its minimum.
                """, "aggregate=3,sink=1");
        for (int t = 0; t < 400; t++) {
            double rate = t >= 60 && t < 120 ? 4000 : 1000;
            row(b, t, "aggregate", rate, 500, 0, 1, 16, "");
            row(b, t, "sink", rate, 20000, 0, 1, 4, "");
        }
        return b.toString();
    }

    /** Load around 85 % of capacity: a 20 s sine of +-8 % and +-10 % uniform noise per second, for 10 minutes. */
    private static String noisy() {
        StringBuilder b = start("""
                # Noisy load near the band's upper edge: 4 instances x 500/s = 2000/s capacity; input 1700/s
                # (85 %) x (1 + 0.08 sin(2 pi t / 20 s)) x (1 + uniform(-0.1, 0.1)), seed 42, 600 s.
                """, "aggregate=4");
        Random random = new Random(42);
        for (int t = 0; t < 600; t++) {
            double rate = 1700 * (1 + 0.08 * Math.sin(2 * Math.PI * t / 20.0))
                    * (1 + (random.nextDouble() * 2 - 1) * 0.1);
            row(b, t, "aggregate", rate, 500, 0, 1, 16, "");
        }
        return b.toString();
    }

    /** One operator whose hottest key group carries 40 % of its input: more threads cannot keep up. */
    private static String skewed() {
        StringBuilder b = start("""
                # Skewed keys: count gets 1500/s, 40 % of it on one key group, 500/s per instance, so it processes
                # at most 1250/s whatever its thread count; bounds [1, 8], 4 instances at the start.
                # parse: 600/s at 2000/s per instance, bounds [2, 8], 2 instances: under the band, at its minimum.
                """, "parse=2,count=4");
        for (int t = 0; t < 300; t++) {
            row(b, t, "parse", 600, 2000, 0, 2, 8, "");
            row(b, t, "count", 1500, 500, 0.4, 1, 8, "");
        }
        return b.toString();
    }

    /** A load step that falls inside a gap of missing metrics, and a second operator briefly absent. */
    private static String missingGap() {
        StringBuilder b = start("""
                # Missing metrics: aggregate (500/s per instance, 3 instances) goes from 1000/s to 3000/s at 60 s;
                # busyRatio and processedRate are missing from 55 s to 84 s. sink is absent from 100 s to 109 s.
                """, "aggregate=3,sink=1");
        for (int t = 0; t < 200; t++) {
            double rate = t >= 60 ? 3000 : 1000;
            row(b, t, "aggregate", rate, 500, 0, 1, 16, t >= 55 && t < 85 ? "busyRatio;processedRate" : "");
            row(b, t, "sink", rate, 20000, 0, 1, 4, t >= 100 && t < 110 ? "absent" : "");
        }
        return b.toString();
    }

    private static StringBuilder start(String comment, String initial) {
        return new StringBuilder(comment).append("#initial: ").append(initial).append('\n')
                .append(Trace.HEADER).append('\n');
    }

    private static void row(StringBuilder b, int t, String op, double rate, double capacity, double hot, int min,
            int max, String missing) {
        b.append(String.format(Locale.ROOT, "%d,%s,%.1f,%.1f,%.2f,%d,%d,%s\n", t, op, rate, capacity, hot, min, max,
                missing));
    }
}
