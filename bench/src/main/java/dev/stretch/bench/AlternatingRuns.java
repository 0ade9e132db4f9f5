package dev.stretch.bench;

import dev.stretch.api.ExecutionMode;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Two values of one engine switch (a system property the engine reads per job, e.g.
 * {@code stretch.source.batchFill}) alternated between runs of the same {@code stretch-vsn}/{@code stretch-sn}
 * job in ONE JVM: two warm-up rounds, then rounds A B, B A, ...; outputs checked equal. Prints each value's
 * median tuples/s and tuples per CPU-second of the process (process CPU time over the run's wall time,
 * scaled to its measured interval) and the median and quartiles of the per-round B / A ratios. Within one
 * JVM the two variants share the heap, the JIT and the machine's load of the same minute, which makes small
 * effects visible on a loaded machine where {@code bench/ab} (a fresh JVM per launch) varies by ±30 %.
 *
 * <p>Usage: {@code AlternatingRuns WORKLOAD KEYS uniform|zipf VSN|SN THREADS EVENTS ROUNDS PROPERTY A B}.
 */
public final class AlternatingRuns {
    public static void main(String[] x) throws Exception {
        Workload w = Workload.of(x[0]);
        int keys = Integer.parseInt(x[1]);
        boolean zipf = x[2].equals("zipf");
        ExecutionMode mode = ExecutionMode.valueOf(x[3]);
        int threads = Integer.parseInt(x[4]);
        long events = (long) Double.parseDouble(x[5]);
        int rounds = Integer.parseInt(x[6]);
        String prop = x[7], va = x[8], vb = x[9];
        long epm = w.eventsPerMs(zipf);
        Dataset da = Dataset.generate(Workload.SEED_A, keys, zipf, events, epm);
        Dataset db = w.streams() > 1 ? Dataset.generate(Workload.SEED_B, keys, zipf, events, epm) : null;
        ContenderRun.StretchRunner r = new ContenderRun.StretchRunner(w, mode, threads, threads, da, db);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long input = events * w.streams();
        double[] wallRatio = new double[rounds], cpuRatio = new double[rounds];
        double[][] tps = new double[2][rounds], tpc = new double[2][rounds];
        long check = 0;
        for (int round = -2; round < rounds; round++) {
            for (int pass = 0; pass < 2; pass++) {
                int v = ((round & 1) == 0) == (pass == 0) ? 0 : 1;
                System.setProperty(prop, v == 0 ? va : vb);
                long c0 = os.getProcessCpuTime();
                long n0 = System.nanoTime();
                ContenderRun.Rep rep = r.run(events, null, 0);
                double cpu = (os.getProcessCpuTime() - c0) / 1e9 * rep.seconds() / ((System.nanoTime() - n0) / 1e9);
                if (check == 0) {
                    check = rep.checksum();
                } else if (check != rep.checksum()) {
                    throw new IllegalStateException("output differs");
                }
                if (round >= 0) {
                    tps[v][round] = input / rep.seconds();
                    tpc[v][round] = input / cpu;
                }
            }
            if (round >= 0) {
                wallRatio[round] = tps[1][round] / tps[0][round];
                cpuRatio[round] = tpc[1][round] / tpc[0][round];
            }
        }
        System.out.printf("%s %d %s %s t=%d: %s=%s %.2f M/s (%.2f M/CPU-s), %s %.2f M/s (%.2f M/CPU-s); B/A median of %d rounds: wall %.3f (IQR %.3f-%.3f), per CPU-s %.3f (IQR %.3f-%.3f)%n",
                w.id(), keys, x[2], mode, threads, prop, va, med(tps[0]) / 1e6, med(tpc[0]) / 1e6, vb, med(tps[1]) / 1e6,
                med(tpc[1]) / 1e6, rounds, med(wallRatio), q(wallRatio, 0.25), q(wallRatio, 0.75), med(cpuRatio),
                q(cpuRatio, 0.25), q(cpuRatio, 0.75));
    }

    static double med(double[] a) {
        return q(a, 0.5);
    }

    static double q(double[] a, double f) {
        double[] s = a.clone();
        Arrays.sort(s);
        return s[(int) Math.round(f * (s.length - 1))];
    }
}
