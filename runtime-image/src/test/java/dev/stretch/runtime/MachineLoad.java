package dev.stretch.runtime;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests whose expected behaviour needs real CPU to spare: an autoscaler that sees a load step it cannot
 * carry rightly keeps its threads, so "threads come back down" can only be checked where the step fits. Such a
 * check is skipped (aborted, not passed, saying so) only when <em>other</em> processes took the CPU the test
 * needs; everything else the test asserts still runs.
 * <p>
 * "Other" is measured, not guessed from the load average: the machine's busy CPU time ({@code /proc/stat}) minus
 * the CPU time of this JVM and of every process it started (live descendants, and reaped ones through
 * {@code cutime}/{@code cstime}). The load average counted the test's own build and JVM, so on a 2-core CI machine
 * the checks were skipped when nothing else ran. Where {@code /proc} is missing, the load average stands in.
 */
public final class MachineLoad {
    private static final Path PROC = Path.of("/proc");
    /** Clock ticks per second of {@code /proc} CPU times (USER_HZ; 100 on every Linux we run on). */
    private static final double TICKS_PER_SECOND = 100;

    private MachineLoad() {
    }

    /** A start point for measuring what other processes use until {@link #otherCores()} is asked. */
    public static final class Window {
        private final long startNanos = System.nanoTime();
        private final long busyTicks;
        private final long ownTicks;

        private Window() {
            this.busyTicks = busyTicks();
            this.ownTicks = ownTicks();
        }

        /** Cores used by processes other than this JVM and its descendants since the window opened. */
        public double otherCores() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            if (busyTicks < 0 || seconds <= 0) {
                return loadAveragePerCore() * cores();
            }
            long other = (busyTicks() - busyTicks) - (ownTicks() - ownTicks);
            return Math.max(0, other / TICKS_PER_SECOND / seconds);
        }

        /** Aborts the test when other processes used more than {@code cores - freeCores} cores in the window. */
        public void assumeCpuToSpare(String when, double freeCores, String needs) {
            double other = otherCores();
            double allowed = cores() - freeCores;
            Assumptions.assumeTrue(other <= allowed, () -> String.format(Locale.ROOT,
                    "skipped: other processes used %.2f of %d cores %s (at most %.2f leaves what the test needs); %s",
                    other, cores(), when, allowed, needs));
        }
    }

    public static Window window() {
        return new Window();
    }

    /** Measures other processes' CPU over one second from now and aborts the test when too little is left. */
    public static void assumeCpuToSpare(String when, double freeCores, String needs) {
        Window w = window();
        // a measuring interval, not synchronisation: nothing is awaited
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
        w.assumeCpuToSpare(when, freeCores, needs);
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    private static double loadAveragePerCore() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() / cores();
    }

    /** Busy ticks of all CPUs (user, nice, system, irq, softirq, steal), or -1 without {@code /proc/stat}. */
    static long busyTicks() {
        try {
            String cpu = Files.readAllLines(PROC.resolve("stat")).get(0);
            String[] f = cpu.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU ticks of this JVM, its reaped children, and every live descendant with theirs. */
    static long ownTicks() {
        long ticks = processTicks(ProcessHandle.current().pid());
        for (ProcessHandle d : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
            ticks += processTicks(d.pid());
        }
        return ticks;
    }

    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // the command name (field 2) may hold spaces: count fields after its closing parenthesis
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            // after the name: state(3) ... utime(14) stime(15) cutime(16) cstime(17) -> indexes 11..14
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return 0; // exited meanwhile: its time is in its parent's cutime once reaped
        }
    }
}
