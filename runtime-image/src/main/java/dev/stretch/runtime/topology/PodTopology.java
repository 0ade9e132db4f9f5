package dev.stretch.runtime.topology;

import dev.stretch.runtime.connect.SplitOwnership;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who this pod is among the pods of its job (contract C1): its name, its ordinal (from the StatefulSet pod
 * name {@code <job>-<n>} or {@code --pod-ordinal}) and the job's pod count, which changes while the
 * process runs (the operator's {@code <job>-topology} ConfigMap, key {@code pods}, mounted as a volume and
 * re-read here every {@link #POLL_MILLIS} ms; or fixed by {@code --pods}).
 *
 * <h2>How a count change is applied (generator and file sources)</h2>
 * Split s of a source belongs to pod {@code s % count}. A change of the count takes effect at an event time
 * T, like a reconfiguration inside the engine: a record with event time &le; T belongs to its split's owner
 * under the old count, a record &gt; T to its owner under the new count. Every pod evaluates that rule on
 * every record (see {@link SplitOwnership}), so when all pods use the same T, each record is emitted by
 * exactly one pod: nothing lost, nothing duplicated. T is agreed through the same volume: when the key
 * {@code handover-at} (epoch ms, next to {@code pods}) holds a time after the previous change, T is that
 * time. Without it, a pod takes T = the wall clock at which it sees the change plus {@link #DEFAULT_LEAD_MILLIS},
 * rounded up to a multiple of {@link #DEFAULT_GRID_MILLIS}: pods that see the change within the same grid
 * interval agree, others may lose or repeat the records between their two T (stated, not hidden: the
 * operator should write {@code handover-at}). The rule needs each pod to see the change before its sources
 * pass T; a pod that sees it later still applies it, from T on.
 *
 * <p>A pod that starts while {@code handover-at} is set is a pod added by that change: it owns nothing at or
 * before T. A pod that starts without it owns its splits from the beginning (a job's first pods).
 *
 * <p>Kafka sources do not use this rule: their pods share partitions through one consumer group per job.
 *
 * <p>Memory ordering: the history is an immutable array published through a volatile field by the single
 * watcher thread; readers (source threads) read the field once per decision and see a complete array.
 */
public final class PodTopology implements AutoCloseable {
    /** How often the count file is read (Kubernetes replaces it through a symlink swap: re-read the path). */
    public static final long POLL_MILLIS = 500;
    public static final long DEFAULT_LEAD_MILLIS = 2_000;
    public static final long DEFAULT_GRID_MILLIS = 5_000;
    /** The key next to {@code pods} that says when the current count takes effect. */
    public static final String HANDOVER_KEY = "handover-at";

    private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)");
    private static final System.Logger LOG = System.getLogger(PodTopology.class.getName());

    /** Counts in effect from event time {@code from} (inclusive) on; count 0: this pod owned nothing then. */
    record Epoch(long from, int count) {
    }

    private final String name;
    private final int ordinal;
    private final Path countFile;
    private final InstantSource clock;
    private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();
    private volatile Epoch[] history;
    private volatile int count;
    private ScheduledExecutorService watcher;
    private String lastProblem;

    private PodTopology(String name, int ordinal, int count, Path countFile, InstantSource clock, Epoch[] history) {
        if (ordinal < 0) {
            throw new IllegalArgumentException("the pod ordinal must be >= 0, was " + ordinal);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.ordinal = ordinal;
        this.count = count;
        this.countFile = countFile;
        this.clock = clock;
        this.history = history;
    }

    /** One process that runs the whole job ({@code stretch run}). */
    public static PodTopology single(String name) {
        return fixed(name, 0, 1);
    }

    /** A pod whose count does not change ({@code --pods}). */
    public static PodTopology fixed(String name, int ordinal, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("the pod count must be >= 1, was " + count);
        }
        return new PodTopology(name, ordinal, count, null, InstantSource.system(),
                new Epoch[] {new Epoch(Long.MIN_VALUE, count)});
    }

    /**
     * A pod whose count is read from {@code countFile} now and then every {@link #POLL_MILLIS} ms until
     * {@link #close()}. While the file is missing or unreadable the count is 1 (at start) or stays what it was.
     */
    public static PodTopology watching(String name, int ordinal, Path countFile, InstantSource clock) {
        Read r = read(countFile);
        int c = r.count() > 0 ? r.count() : 1;
        Epoch[] h = r.handoverAt() != null
                ? new Epoch[] {new Epoch(Long.MIN_VALUE, 0), new Epoch(r.handoverAt() + 1, c)}
                : new Epoch[] {new Epoch(Long.MIN_VALUE, c)};
        PodTopology t = new PodTopology(name, ordinal, c, countFile, clock, h);
        if (r.problem() != null) {
            t.warn(r.problem());
        }
        t.watcher = Executors.newSingleThreadScheduledExecutor(run -> {
            Thread th = new Thread(run, "stretch-topology");
            th.setDaemon(true);
            return th;
        });
        t.watcher.scheduleWithFixedDelay(t::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return t;
    }

    /** The ordinal of a StatefulSet pod name ({@code <job>-<n>}), or empty when the name has none. */
    public static java.util.OptionalInt ordinalOf(String podName) {
        if (podName == null) {
            return java.util.OptionalInt.empty();
        }
        Matcher m = ORDINAL.matcher(podName);
        if (!m.matches()) {
            return java.util.OptionalInt.empty();
        }
        try {
            return java.util.OptionalInt.of(Integer.parseInt(m.group(1)));
        } catch (NumberFormatException tooLong) {
            return java.util.OptionalInt.empty();
        }
    }

    public String name() {
        return name;
    }

    public int ordinal() {
        return ordinal;
    }

    /** The job's current pod count (the latest one read, even before it takes effect for generator/file sources). */
    public int count() {
        return count;
    }

    /** Called with the new count on the watcher thread after each change. */
    public void onChange(IntConsumer listener) {
        listeners.add(listener);
    }

    /** The ownership rule for generator and file sources (see the class comment). */
    public SplitOwnership ownership() {
        return (split, eventTime) -> {
            Epoch[] h = history;
            for (int i = h.length - 1; i >= 0; i--) {
                if (eventTime >= h[i].from()) {
                    int c = h[i].count();
                    return c > 0 && split % c == ordinal;
                }
            }
            return false;
        };
    }

    /** Event time up to which the previous count applies, for the latest change; {@code Long.MIN_VALUE} if none. */
    public long lastHandover() {
        Epoch[] h = history;
        return h.length == 1 ? Long.MIN_VALUE : h[h.length - 1].from() - 1;
    }

    /** Reads the file once: what the watcher does every {@link #POLL_MILLIS} ms (public for tests). */
    public synchronized void poll() {
        Read r = read(countFile);
        if (r.problem() != null) {
            warn(r.problem());
            return;
        }
        lastProblem = null;
        if (r.count() == count) {
            return;
        }
        Epoch[] h = history;
        long previous = h[h.length - 1].from();
        long at;
        if (r.handoverAt() != null && r.handoverAt() >= previous) {
            at = r.handoverAt();
        } else {
            long lead = clock.millis() + DEFAULT_LEAD_MILLIS;
            at = Math.max(Math.floorDiv(lead + DEFAULT_GRID_MILLIS - 1, DEFAULT_GRID_MILLIS) * DEFAULT_GRID_MILLIS,
                    previous);
        }
        Epoch[] next = Arrays.copyOf(h, h.length + 1);
        next[h.length] = new Epoch(at + 1, r.count());
        history = next;
        int old = count;
        count = r.count();
        LOG.log(System.Logger.Level.INFO, "pod " + name + ": the job now has " + r.count() + " pods (was " + old
                + "); generator and file splits are re-divided after event time " + at);
        for (IntConsumer l : listeners) {
            try {
                l.accept(r.count());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a pod-count listener failed", e);
            }
        }
    }

    private void warn(String problem) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            System.err.println("pod " + name + ": " + problem + "; keeping " + count + " pod(s)");
        }
    }

    private record Read(int count, Long handoverAt, String problem) {
    }

    private static Read read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return new Read(-1, null, "the pod-count file " + file + " does not exist");
        } catch (IOException e) {
            return new Read(-1, null, "the pod-count file " + file + " cannot be read (" + e.getMessage() + ")");
        }
        int c;
        try {
            c = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            c = 0;
        }
        if (c < 1) {
            return new Read(-1, null, "the pod-count file " + file + " holds '" + abbreviate(text)
                    + "', not a whole number >= 1");
        }
        Long handover = null;
        Path h = file.resolveSibling(HANDOVER_KEY);
        try {
            String ht = Files.readString(h, StandardCharsets.UTF_8).strip();
            if (!ht.isEmpty()) {
                handover = Long.parseLong(ht);
            }
        } catch (NoSuchFileException absent) {
            // no agreed handover time: the default rule applies
        } catch (IOException | NumberFormatException e) {
            return new Read(-1, null, h + " is not an epoch-millisecond time");
        }
        return new Read(c, handover, null);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }
}
