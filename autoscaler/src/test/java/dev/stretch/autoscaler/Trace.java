package dev.stretch.autoscaler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A recorded load trace (test resource under {@code traces/}): per second and operator, the offered input rate
 * and what one instance can process. {@link OperatorModel} turns a row into the metrics the operator would
 * report with a given instance count, so the trace can be replayed in a closed loop with the autoscaler.
 *
 * <p>Format: {@code #} lines are comments, except {@code #initial: op=n,op=n} (instance counts at the start).
 * Columns: {@code time_s, operator, input_rate, capacity_per_instance, hot_share, min_instances,
 * max_instances, missing}. {@code hot_share} is the share of the input whose keys fall in one key group (0 for
 * an even spread); {@code missing} is {@code ;}-separated metric names to report as NaN, or {@code absent} to
 * leave the operator out of the sample.
 */
record Trace(String name, Map<String, Integer> initial, TreeMap<Long, List<Row>> rowsBySecond) {

    static final String HEADER =
            "time_s,operator,input_rate,capacity_per_instance,hot_share,min_instances,max_instances,missing";

    record Row(long second, String operator, double inputRate, double capacityPerInstance, double hotShare,
            int minInstances, int maxInstances, Set<String> missing) {
        boolean absent() {
            return missing.contains("absent");
        }
    }

    static Trace load(String name) {
        String resource = "/traces/" + name;
        try (InputStream in = Trace.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return parse(name, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Trace parse(String name, List<String> lines) {
        Map<String, Integer> initial = new LinkedHashMap<>();
        TreeMap<Long, List<Row>> rows = new TreeMap<>();
        boolean header = false;
        for (String line : lines) {
            if (line.startsWith("#initial:")) {
                for (String kv : line.substring("#initial:".length()).trim().split(",")) {
                    String[] p = kv.split("=");
                    initial.put(p[0].trim(), Integer.parseInt(p[1].trim()));
                }
                continue;
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (!header) {
                if (!line.equals(HEADER)) {
                    throw new IllegalArgumentException(name + ": expected header " + HEADER + ", got " + line);
                }
                header = true;
                continue;
            }
            String[] c = line.split(",", -1);
            Set<String> missing = c[7].isBlank() ? Set.of() : Set.of(c[7].split(";"));
            Row row = new Row(Long.parseLong(c[0]), c[1], Double.parseDouble(c[2]), Double.parseDouble(c[3]),
                    Double.parseDouble(c[4]), Integer.parseInt(c[5]), Integer.parseInt(c[6]), missing);
            rows.computeIfAbsent(row.second(), s -> new ArrayList<>()).add(row);
        }
        return new Trace(name, initial, rows);
    }
}
