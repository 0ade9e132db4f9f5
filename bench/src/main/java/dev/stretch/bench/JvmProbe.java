package dev.stretch.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a contender's JVM spent while measured: GC time and count (GarbageCollectorMXBeans), the largest
 * heap in use (MemoryMXBean, sampled every 20 ms), its own CPU time and the CPU time the rest of the
 * machine used meanwhile (/proc/stat busy jiffies minus ours: other tenants of a shared machine).
 */
final class JvmProbe {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long gcMillis0;
    private long gcCount0;
    private long cpu0;
    private long machine0;
    private long wall0;
    private volatile long heapPeak;
    private volatile boolean sampling;
    private Thread sampler;

    // results
    long gcMillis;
    long gcCount;
    long heapPeakBytes;
    long heapCommittedBytes;
    double ownCores;
    double otherCores;
    double wallSeconds;

    void start() {
        gcMillis0 = gcMillis();
        gcCount0 = gcCount();
        cpu0 = processCpuNanos();
        machine0 = machineBusyNanos();
        wall0 = System.nanoTime();
        heapPeak = memory.getHeapMemoryUsage().getUsed();
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                long used = memory.getHeapMemoryUsage().getUsed();
                if (used > heapPeak) {
                    heapPeak = used;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    void stop() {
        sampling = false;
        long wall = System.nanoTime() - wall0;
        long cpu = processCpuNanos() - cpu0;
        long machine = machineBusyNanos() - machine0;
        gcMillis = gcMillis() - gcMillis0;
        gcCount = gcCount() - gcCount0;
        heapPeakBytes = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
        heapCommittedBytes = memory.getHeapMemoryUsage().getCommitted();
        wallSeconds = wall / 1e9;
        ownCores = wall > 0 ? cpu / (double) wall : 0;
        otherCores = wall > 0 && machine > 0 ? Math.max(0, machine - cpu) / (double) wall : 0;
    }

    private static long gcMillis() {
        long t = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, b.getCollectionTime());
        }
        return t;
    }

    private static long gcCount() {
        long c = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            c += Math.max(0, b.getCollectionCount());
        }
        return c;
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    /** Busy time of all CPUs (everything but idle and iowait), from /proc/stat; 0 where unavailable. */
    static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L; // USER_HZ = 100
        } catch (Exception e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }
}
