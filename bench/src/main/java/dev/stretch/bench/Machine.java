package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a benchmark ran on, for the results files. */
public final class Machine {
    private Machine() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public static String jvm() {
        return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    }

    public static String flags() {
        return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    public static String cpu() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    public static String describe() {
        return cores() + " cores (" + cpu() + "), " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB max heap, "
                + jvm() + ", flags: " + (flags().isEmpty() ? "(none)" : flags());
    }

    public static ObjectNode json(ObjectMapper om) {
        ObjectNode m = om.createObjectNode();
        m.put("cores", cores());
        m.put("cpu", cpu());
        m.put("jvm", jvm());
        m.put("flags", flags());
        return m;
    }
}
