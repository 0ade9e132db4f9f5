package dev.stretch.api;

/** A job stopped because of an error; the message names the operator and, where there is one, the record. */
public class JobFailedException extends RuntimeException {
    private final String operator;

    public JobFailedException(String operator, String message, Throwable cause) {
        super(message, cause);
        this.operator = operator;
    }

    /** The operator where the job failed. */
    public String operator() {
        return operator;
    }
}
