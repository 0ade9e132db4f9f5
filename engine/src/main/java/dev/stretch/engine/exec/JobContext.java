package dev.stretch.engine.exec;

import dev.stretch.api.BadRecordException;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.JobConfig;
import dev.stretch.api.JobFailedException;
import dev.stretch.api.LateRecordPolicy;
import dev.stretch.api.SinkWriter;
import dev.stretch.engine.esg.WaitHook;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every task of a job shares: the thread pool, the stop flag, the first failure, and the handling
 * of bad records (the job's {@link ErrorPolicy}).
 */
final class JobContext {
    private static final System.Logger LOG = System.getLogger(JobContext.class.getName());
    private static final int MAX_RECORD_CHARS = 2000;

    final String jobName;
    final JobConfig config;
    final ExecutorService pool;
    final WaitHook stopHook = this::checkRunning;
    private final SinkWriter<DeadLetter> deadLetters;
    private final AtomicInteger activeTasks = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile boolean cancelled;
    /** Every task has ended; a cancel from now on changes nothing (guarded by this). */
    private boolean ended;
    private volatile Throwable failure;

    JobContext(String jobName, JobConfig config) throws Exception {
        this.jobName = jobName;
        this.config = config;
        AtomicInteger threadIds = new AtomicInteger();
        // A cached pool: a task submitted while a thread is idle reuses it at once (instances removed by a
        // reconfiguration return their threads here for the next one to take).
        this.pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.MINUTES, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "stretch-" + jobName + "-" + threadIds.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.deadLetters = config.deadLetterSink() == null ? null : config.deadLetterSink().createWriter(0);
    }

    void checkRunning() {
        if (stopping) {
            throw TaskStopped.INSTANCE;
        }
    }

    boolean isStopping() {
        return stopping;
    }

    boolean isCancelled() {
        return cancelled;
    }

    Throwable failure() {
        return failure;
    }

    CompletableFuture<Void> done() {
        return done;
    }

    /** Runs a task on the pool; the job is done when no task is left. */
    void submit(Runnable task) {
        activeTasks.incrementAndGet();
        pool.execute(() -> {
            try {
                task.run();
            } catch (TaskStopped ignored) {
                // the job is stopping; nothing to report
            } catch (Throwable t) {
                fail(t);
            } finally {
                if (activeTasks.decrementAndGet() == 0) {
                    finish();
                }
            }
        });
    }

    /** Counts a task that is not run by {@link #submit} (a reconfiguring caller) until {@link #taskEnded}. */
    void taskStarted() {
        activeTasks.incrementAndGet();
    }

    /**
     * Holds the job open while a caller (a reconfiguration) may submit tasks: increments the task count
     * only if it is not already zero, so a job that has finished stays finished and its pool is never
     * asked to run another task. Returns false when the job has ended; pair a true result with
     * {@link #taskEnded}.
     */
    boolean enter() {
        for (int n = activeTasks.get(); n > 0; n = activeTasks.get()) {
            if (activeTasks.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    void taskEnded() {
        if (activeTasks.decrementAndGet() == 0) {
            finish();
        }
    }

    void fail(Throwable t) {
        synchronized (this) {
            if (failure == null && !cancelled) {
                failure = t;
                LOG.log(System.Logger.Level.ERROR, "job '" + jobName + "' failed: " + t.getMessage(), t);
            }
        }
        stopping = true;
    }

    void cancel() {
        synchronized (this) {
            if (ended) {
                return; // finished (or failed) already: it stays so
            }
            if (failure == null) {
                cancelled = true;
            }
        }
        stopping = true;
    }

    private void finish() {
        synchronized (this) {
            ended = true;
        }
        closeDeadLetters();
        pool.shutdown();
        done.complete(null);
    }

    private void closeDeadLetters() {
        if (deadLetters != null) {
            synchronized (deadLetters) {
                try {
                    deadLetters.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "closing the dead-letter output failed", e);
                }
            }
        }
    }

    /**
     * A record an operator could not process. Under {@link ErrorPolicy#FAIL} this throws
     * {@link JobFailedException}; under {@link ErrorPolicy#DEAD_LETTER} the record goes to the dead-letter
     * output and processing goes on.
     */
    void badRecord(OperatorCounters op, Object record, long ts, String reason, Throwable cause) {
        op.bad.increment();
        String rendered = render(record);
        // a BadRecordException is the function's own verdict in the user's words; anything else is described
        String detail = cause instanceof BadRecordException ? cause.getMessage()
                : cause == null ? reason : reason + ": " + cause;
        if (config.errorPolicy() == ErrorPolicy.FAIL) {
            throw new JobFailedException(op.name, "operator '" + op.name + "' failed on record " + rendered
                    + (ts == Long.MIN_VALUE ? "" : " (timestamp " + ts + ")") + ": " + detail,
                    cause instanceof BadRecordException ? null : cause);
        }
        deadLetter(op, new DeadLetter(op.name, detail, rendered, ts));
    }

    /**
     * A record that arrived behind its source's watermark: counted, and under
     * {@link LateRecordPolicy#DEAD_LETTER} sent to the dead-letter output.
     */
    void late(OperatorCounters op, Object record, long ts, long watermark) {
        op.late.increment();
        if (config.lateRecords() == LateRecordPolicy.DEAD_LETTER) {
            deadLetter(op, new DeadLetter(op.name, "late: event time " + ts + " arrived after the watermark had "
                    + "reached " + watermark + " (" + (watermark - ts) + " ms behind it)", render(record), ts));
        }
    }

    /** Input a source could not parse: always a dead letter, never a failure. */
    void malformed(OperatorCounters op, String raw, String reason) {
        op.bad.increment();
        deadLetter(op, new DeadLetter(op.name, reason, truncate(raw), Long.MIN_VALUE));
    }

    private void deadLetter(OperatorCounters op, DeadLetter d) {
        op.deadLetters.increment();
        if (deadLetters == null) {
            LOG.log(System.Logger.Level.WARNING, "dead letter from '" + d.operator() + "': " + d.reason() + " -- "
                    + d.record());
            return;
        }
        synchronized (deadLetters) {
            try {
                deadLetters.write(d, d.timestamp());
                deadLetters.flush();
            } catch (Exception e) {
                throw new JobFailedException(op.name, "writing a dead letter failed: " + e, e);
            }
        }
    }

    static String render(Object record) {
        return truncate(String.valueOf(record));
    }

    private static String truncate(String s) {
        return s.length() <= MAX_RECORD_CHARS ? s : s.substring(0, MAX_RECORD_CHARS) + "...";
    }
}
