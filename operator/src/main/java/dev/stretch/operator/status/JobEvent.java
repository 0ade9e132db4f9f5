package dev.stretch.operator.status;

/**
 * A Kubernetes Event to record about a job.
 *
 * @param warning Warning (true) or Normal
 * @param reason stable CamelCase code ({@code InvalidSpec}, {@code ReplicasChanged} ...)
 * @param message the details, in words
 */
public record JobEvent(boolean warning, String reason, String message) {
    public static JobEvent normal(String reason, String message) {
        return new JobEvent(false, reason, message);
    }

    public static JobEvent warning(String reason, String message) {
        return new JobEvent(true, reason, message);
    }
}
