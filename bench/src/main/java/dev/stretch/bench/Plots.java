package dev.stretch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** PNG charts of a run, drawn headless with JFreeChart from the same rows that go into latest.json. */
final class Plots {
    private static final Map<String, Color> COLORS = Map.of(
            "stretch-vsn", new Color(0xd62728), "stretch-sn", new Color(0xff7f0e),
            "flink", new Color(0x1f77b4), "hand-loop", new Color(0x2ca02c));

    private Plots() {
    }

    /** Redraws the charts of a results file: {@code Plots latest.json outputDir}. */
    public static void main(String[] args) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode root = om.readTree(new File(args[0]));
        Path dir = Path.of(args[1]);
        java.nio.file.Files.createDirectories(dir);
        List<ObjectNode> rows = new ArrayList<>();
        root.get("results").forEach(r -> rows.add((ObjectNode) r));
        List<ObjectNode> latency = new ArrayList<>();
        root.path("latency_runs").forEach(r -> latency.add((ObjectNode) r));
        List<BenchSuite.Config> configs = new ArrayList<>();
        int maxThreads = 1;
        for (ObjectNode r : rows) {
            BenchSuite.Config c = new BenchSuite.Config(Workload.of(r.get("workload").asText()), r.get("keys").asInt(),
                    r.get("distribution").asText());
            if (!configs.contains(c)) {
                configs.add(c);
            }
            maxThreads = Math.max(maxThreads, r.get("threads").asInt());
        }
        for (Workload w : Workload.values()) {
            throughput(dir, w, configs, rows, maxThreads);
        }
        for (BenchSuite.Config c : configs) {
            latencyCdf(dir, c, latency);
        }
    }

    /** A log axis labelled in plain numbers, ticks every half decade. */
    private static LogAxis logAxis(String label) {
        LogAxis a = new LogAxis(label);
        a.setSmallestValue(0.01);
        a.setTickUnit(new NumberTickUnit(0.5));
        a.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
        return a;
    }

    /**
     * Throughput against threads for one workload: one panel per (keys, distribution), a line per
     * contender; the hand loop (one thread) is drawn flat across all thread counts as the per-core limit.
     */
    static Path throughput(Path dir, Workload w, List<BenchSuite.Config> configs, List<ObjectNode> rows, int maxThreads)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        NumberAxis threadsAxis = new NumberAxis("threads (instances of each keyed operator; source splits = threads)");
        threadsAxis.setTickUnit(new NumberTickUnit(1));
        threadsAxis.setRange(0.8, maxThreads + 0.2);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(threadsAxis);
        int panels = 0;
        XYPlot first = null;
        for (BenchSuite.Config c : configs) {
            if (c.workload() != w) {
                continue;
            }
            XYSeriesCollection data = new XYSeriesCollection();
            List<Color> colors = new ArrayList<>();
            for (String contender : List.of("stretch-vsn", "stretch-sn", "flink", "hand-loop")) {
                XYSeries s = new XYSeries(contender + (contender.equals("hand-loop") ? " (1 thread)" : ""));
                for (ObjectNode r : rows) {
                    if (BenchSuite.matches(r, c) && r.path("contender").asText().equals(contender) && r.hasNonNull("tuples_per_s")
                            && !r.has("error")) {
                        double m = r.get("tuples_per_s").asDouble() / 1e6;
                        if (contender.equals("hand-loop")) {
                            for (int t = 1; t <= maxThreads; t++) {
                                s.add(t, m);
                            }
                        } else {
                            s.add(r.get("threads").asInt(), m);
                        }
                    }
                }
                if (s.getItemCount() > 0) {
                    data.addSeries(s);
                    colors.add(COLORS.get(contender));
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            LogAxis y = logAxis(c.keys() / 1000 + "k keys, " + c.dist() + ": M tuples/s");
            XYLineAndShapeRenderer ren = new XYLineAndShapeRenderer(true, true);
            for (int i = 0; i < colors.size(); i++) {
                ren.setSeriesPaint(i, colors.get(i));
                ren.setSeriesStroke(i, new BasicStroke(2f));
            }
            XYPlot p = new XYPlot(data, null, y, ren);
            p.setBackgroundPaint(Color.WHITE);
            p.setRangeGridlinePaint(Color.LIGHT_GRAY);
            plot.add(p, 1);
            panels++;
            if (first == null || data.getSeriesCount() > first.getDataset().getSeriesCount()) {
                first = p; // one legend for all panels (the combined plot would repeat it per panel)
            }
        }
        if (panels == 0) {
            return null;
        }
        plot.setFixedLegendItems(first.getLegendItems());
        JFreeChart chart = new JFreeChart(w.id() + ": sustained throughput", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Path f = dir.resolve("throughput-" + w.id() + ".png");
        ChartUtils.saveChartAsPNG(f.toFile(), chart, 900, 260 + 260 * panels);
        return f;
    }

    /** Latency CDF of one configuration: percentile against milliseconds (log), a line per contender. */
    static Path latencyCdf(Path dir, BenchSuite.Config c, List<ObjectNode> latencyRows) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        List<Color> colors = new ArrayList<>();
        for (ObjectNode r : latencyRows) {
            if (!BenchSuite.matches(r, c) || r.has("error") || !r.has("latency_cdf")) {
                continue;
            }
            String contender = r.get("contender").asText();
            XYSeries s = new XYSeries(String.format(java.util.Locale.ROOT, "%s t=%d @ %.2f M/s", contender,
                    r.get("threads").asInt(), r.get("rate").asDouble() / 1e6), false, true);
            for (JsonNode pt : r.get("latency_cdf")) {
                s.add(Math.max(0.01, pt.get(1).asDouble()), pt.get(0).asDouble());
            }
            data.addSeries(s);
            colors.add(COLORS.getOrDefault(contender, Color.BLACK));
        }
        if (data.getSeriesCount() == 0) {
            return null;
        }
        LogAxis x = logAxis("end-to-end latency, ms (output time − scheduled release of the window-closing event)");
        NumberAxis y = new NumberAxis("percentile");
        y.setRange(0, 100);
        XYLineAndShapeRenderer ren = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < colors.size(); i++) {
            ren.setSeriesPaint(i, colors.get(i));
            ren.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot p = new XYPlot(data, x, y, ren);
        p.setBackgroundPaint(Color.WHITE);
        p.setRangeGridlinePaint(Color.LIGHT_GRAY);
        p.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(c.label() + ": latency CDF at 80 % of max throughput",
                JFreeChart.DEFAULT_TITLE_FONT, p, true);
        chart.addSubtitle(new TextTitle("paced source; windows closing in the warm-up seconds excluded"));
        chart.setBackgroundPaint(Color.WHITE);
        File f = dir.resolve("latency-" + c.file() + ".png").toFile();
        ChartUtils.saveChartAsPNG(f, chart, 900, 560);
        return f.toPath();
    }
}
