package dev.stretch.api;

/**
 * What a job does with a bad record: an element a user function threw on, a {@code null} key, a
 * timestamp behind its split's previous one. Either way the record is counted per operator.
 */
public enum ErrorPolicy {
    /** Fail the job with an error naming the operator and the record (the default). */
    FAIL,
    /** Send the record, the operator's name and the reason to the dead-letter output and go on. */
    DEAD_LETTER
}
