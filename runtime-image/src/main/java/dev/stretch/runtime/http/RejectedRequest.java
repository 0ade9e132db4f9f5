package dev.stretch.runtime.http;

/** A request the server refuses before it changes anything; carries the status and the reason for the client. */
final class RejectedRequest extends Exception {
    private final int status;

    RejectedRequest(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
