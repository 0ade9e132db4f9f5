package dev.stretch.api;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A running (or finished) job. Thread-safe. */
public interface JobExecution extends AutoCloseable {
    /** Lifecycle of a job. */
    enum Status { RUNNING, FINISHED, FAILED, CANCELLED }

    String name();

    Status status();

    /** Waits until the job ends; throws {@link JobFailedException} if it failed. */
    void awaitTermination();

    /** Waits at most {@code timeout}; returns whether the job ended. Throws if it failed. */
    boolean awaitTermination(Duration timeout);

    /** Stops the job; sources stop reading, in-flight data is dropped. */
    void cancel();

    /** The error that ended the job, if it failed. */
    Optional<Throwable> failure();

    /**
     * Changes the instance count of an operator while the job runs and returns once the new
     * configuration is active. For a keyed operator in VSN mode no state moves: ownership of key groups
     * changes at an agreed point of its input. For a source, the number of threads reading its splits
     * changes. Requests are serialised.
     *
     * @throws InvalidReconfigurationException for an unknown operator, a count below 1 or above the
     *     operator's maximum, an operator that cannot be rescaled; nothing changes then
     */
    ReconfigurationResult reconfigure(String operator, int instances);

    /** Several operators at once; all or (on an invalid request) none. */
    List<ReconfigurationResult> reconfigure(Map<String, Integer> instances);

    /** Current instance count of an operator. */
    int instances(String operator);

    /** The operators whose instance count {@link #reconfigure} can change, with their bounds. */
    List<ElasticOperator> elasticOperators();

    /** A consistent-enough snapshot of all counters (each counter is exact; they are read one by one). */
    JobMetrics metrics();

    /** Registers a callback for every completed reconfiguration (e.g. to feed a histogram). */
    void addReconfigurationListener(ReconfigurationListener listener);

    @Override
    default void close() {
        cancel();
    }

    /** An operator that can be rescaled, with its current count and bounds. */
    record ElasticOperator(String name, int instances, int min, int max) {
    }
}
