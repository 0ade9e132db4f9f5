package dev.stretch.runtime.cli;

import dev.stretch.api.JobExecution;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Live progress of {@code stretch run}: on a terminal, a table redrawn in place every sample (input and
 * output rates, busy ratio, backlog, event-time lag and threads per operator, recent reconfigurations);
 * otherwise one plain line every few samples.
 */
final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private final String job;
    private final long startNanos = System.nanoTime();
    private final Deque<String> recent = new ArrayDeque<>();
    private int drawnLines;
    private int samples;
    private final int plainEvery;

    Progress(PrintStream out, boolean terminal, String job, int plainEvery) {
        this.out = out;
        this.terminal = terminal;
        this.job = job;
        this.plainEvery = Math.max(1, plainEvery);
    }

    synchronized void reconfigured(ReconfigurationResult r, String reason) {
        recent.addFirst(String.format(Locale.ROOT, "%s %d→%d in %.2f ms%s", r.operator(), r.from(), r.to(),
                r.durationMillis(), reason == null ? "" : " (" + reason + ")"));
        while (recent.size() > 3) {
            recent.removeLast();
        }
        if (!terminal) {
            out.println("[" + elapsed() + "] rescaled " + recent.peekFirst());
        }
    }

    synchronized void show(List<OperatorRates> rates, JobExecution e) {
        samples++;
        if (terminal) {
            StringBuilder b = new StringBuilder();
            if (drawnLines > 0) {
                b.append("\u001b[").append(drawnLines).append("F\u001b[J");
            }
            int lines = 0;
            b.append(String.format(Locale.ROOT, "stretch run %s  %s  %s%n", job, elapsed(), e.status()));
            lines++;
            b.append(String.format(Locale.ROOT, "%-22s %-7s %8s %10s %10s %6s %9s %9s%n", "operator", "kind", "threads",
                    "in/s", "out/s", "busy", "backlog", "lag"));
            lines++;
            for (OperatorRates r : rates) {
                if (r.kind().equals("chained")) {
                    // runs inside its producer's threads: its own rates (a filter's selectivity shows), while
                    // time, backlog and lag are the producer's row
                    b.append(String.format(Locale.ROOT, "%-22s %-7s %8d %10s %10s %6s %9s %9s%n",
                            trim("└ " + r.name(), 22), r.kind(), r.instances(), human(r.inputRate()),
                            human(r.outputRate()), "-", "-", "-"));
                } else {
                    b.append(String.format(Locale.ROOT, "%-22s %-7s %8d %10s %10s %5.0f%% %9s %9s%n",
                            trim(r.name(), 22), r.kind(), r.instances(), human(r.inputRate()), human(r.outputRate()),
                            r.busyRatio() * 100, r.kind().equals("source") ? "-" : human(r.backlog()), lag(r)));
                }
                lines++;
            }
            for (String s : recent) {
                b.append("  rescaled ").append(s).append('\n');
                lines++;
            }
            out.print(b);
            out.flush();
            drawnLines = lines;
        } else if (samples % plainEvery == 0) {
            StringBuilder b = new StringBuilder("[").append(elapsed()).append("]");
            for (OperatorRates r : rates) {
                if (r.kind().equals("chained")) {
                    continue;
                }
                b.append(' ').append(r.name()).append(" in=").append(human(r.inputRate())).append("/s");
                if (r.kind().equals("window")) {
                    b.append(" out=").append(human(r.outputRate())).append("/s busy=")
                            .append(Math.round(r.busyRatio() * 100)).append("% threads=").append(r.instances())
                            .append(" lag=").append(lag(r));
                }
                b.append(" |");
            }
            out.println(b.substring(0, b.length() - 2));
        }
    }

    private static String lag(OperatorRates r) {
        return r.kind().equals("source") ? "-" : r.eventTimeLagMillis() + "ms";
    }

    private String elapsed() {
        Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
        return String.format(Locale.ROOT, "%02d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    static String human(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e4) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    private static String trim(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "…";
    }
}
