package dev.stretch.api;

/**
 * A record the job could not process, sent to the dead-letter output instead of failing the job.
 *
 * @param operator the operator that rejected it
 * @param reason why, in words
 * @param record the record as text
 * @param timestamp its event time, or {@code Long.MIN_VALUE} if it had none
 */
public record DeadLetter(String operator, String reason, String record, long timestamp) {
}
