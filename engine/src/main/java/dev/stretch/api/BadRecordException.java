package dev.stretch.api;

/**
 * Thrown by a user function (a map, a filter, a key selector, a timestamp assigner, an aggregation) to
 * reject the record it was given, with the reason in the words of whoever wrote the job
 * ({@code "field 'user' is missing"}). The job's {@link ErrorPolicy} decides what happens: under
 * {@code FAIL} the job stops with this reason, under {@code DEAD_LETTER} the record goes to the dead-letter
 * output with it. Unlike any other exception, its message is used as the whole reason, without the
 * exception's class.
 */
public class BadRecordException extends RuntimeException {
    public BadRecordException(String reason) {
        super(reason, null, false, false); // a verdict on data: no stack trace to fill
    }
}
