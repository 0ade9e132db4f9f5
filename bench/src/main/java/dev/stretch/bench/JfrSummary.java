package dev.stretch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a profiled run spent its CPU: JFR execution samples ({@code jdk.ExecutionSample}, every 10 ms per
 * running thread with the {@code profile} settings) counted by thread, by top frame (self time) and by
 * any frame of this engine on the stack (inclusive time).
 */
final class JfrSummary {
    private JfrSummary() {
    }

    /** One profiled run. Counts are samples; shares are of all samples. */
    record Profile(String config, String contender, int threads, double tuplesPerSecond, Path file, long samples,
            Map<String, Long> byStage, Map<String, Long> byCategory, Map<String, Long> selfTop,
            Map<String, Long> engineInclusiveTop) {
    }

    static Profile summarize(Path jfr, String config, String contender, int threads, double tps) throws IOException {
        Map<String, Long> byStage = new HashMap<>();
        Map<String, Long> byCategory = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            byStage.merge(stage(frames), 1L, Long::sum);
            String top = name(frames.get(0));
            self.merge(top, 1L, Long::sum);
            byCategory.merge(category(frames), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.stretch.engine") && seen.add(n)) {
                    inclusive.merge(n, 1L, Long::sum);
                }
            }
        }
        return new Profile(config, contender, threads, tps, jfr, samples, top(byStage, 8), top(byCategory, 10),
                top(self, 15), top(inclusive, 15));
    }

    /** Which engine task the sampled thread was running, from the outermost engine frames. */
    private static String stage(List<RecordedFrame> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String n = name(frames.get(i));
            if (n.contains("SourceStage$SourceThread.run")) {
                return "source threads";
            }
            if (n.contains("WindowStage$Instance.run")) {
                return "window instances";
            }
            if (n.contains("SinkStage$Instance.run")) {
                return "sink instances";
            }
        }
        return "other (main, JIT-compiled setup, pools)";
    }

    /** The engine part the innermost engine frame belongs to, or what sits on top when no engine frame does. */
    private static String category(List<RecordedFrame> frames) {
        String top = name(frames.get(0));
        if (top.startsWith("java.") || top.startsWith("jdk.") || top.startsWith("sun.")) {
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("dev.stretch.")) {
                    return "JDK code called from " + pkg(n);
                }
            }
            return "JDK (no engine frame)";
        }
        return pkg(top);
    }

    private static String pkg(String method) {
        String cls = method.substring(0, method.lastIndexOf('.'));
        int cut = cls.lastIndexOf('.');
        return cut < 0 ? cls : cls.substring(0, cut);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, Long> top(Map<String, Long> m, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
