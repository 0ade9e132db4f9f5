package dev.stretch.api;

/**
 * What a job does with a bad record: an element a user function threw on, a {@code null} key, a
 * timestamp behind its split's previous one. Either way the record is counted per operator.
 */
public enum ErrorPolicy {
    /** Fail the job with an error naming the operator and the record (the default). */
    FAIL,
    /**
     * Send the record, the operator's name and the reason to the dead-letter output and go on. Only the
     * failing record is lost: inside a window function it is left out of every window it belongs to while
     * its key's other elements still count, and it is dead-lettered once, as itself (a window join's
     * failing pair as {@code (left, right)}). Where a function fails on a whole window's output (a
     * {@link WindowProcessFunction}'s {@code output}, a result function), the dead letter names the key
     * and the window. An {@link AggregateFunction#add} that changed its accumulator in place before
     * throwing keeps that change: make {@code add} either complete or change nothing.
     */
    DEAD_LETTER
}
