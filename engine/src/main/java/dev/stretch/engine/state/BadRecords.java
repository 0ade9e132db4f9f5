package dev.stretch.engine.state;

/**
 * Where a window function that produces output record by record (the window join, pair by pair) hands a
 * record it could not turn into output, so that only that record is lost: the job's error policy then
 * dead-letters it (or fails the job), and the function goes on with the next one. The collector a window
 * function receives implements this.
 */
public interface BadRecords {
    /**
     * @param record the failing input, as it should appear in the dead letter
     * @param reason what failed, in words
     * @param cause what the user function threw
     */
    void badRecord(Object record, String reason, Exception cause);
}
