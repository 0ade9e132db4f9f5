package dev.stretch.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests whose expected behaviour needs real CPU to spare: an autoscaler that sees a load step it cannot
 * carry rightly keeps its threads, so "threads come back down" can only be checked where the step fits. On a
 * machine whose run queue is far longer than its cores (other builds running), such a check is skipped
 * (aborted, not passed), saying so; everything else the test asserts still runs.
 */
public final class MachineLoad {
    /** Above this load average per core the process cannot count on about one free core. */
    public static final double OVERLOADED_PER_CORE = 1.5;

    private MachineLoad() {
    }

    public static double perCore() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os.getSystemLoadAverage() / os.getAvailableProcessors();
    }

    /** Aborts the test when the machine is overloaded; {@code when} and {@code needs} say what for. */
    public static void assumeCpuToSpare(String when, String needs) {
        double load = perCore();
        Assumptions.assumeTrue(load < OVERLOADED_PER_CORE, () -> String.format(Locale.ROOT,
                "skipped: load average %s is %.1f per core; %s", when, load, needs));
    }
}
