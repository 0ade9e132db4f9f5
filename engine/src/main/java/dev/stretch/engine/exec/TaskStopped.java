package dev.stretch.engine.exec;

/** Unwinds a task when its job stops (cancelled or failed elsewhere). Carries no stack trace. */
final class TaskStopped extends RuntimeException {
    static final TaskStopped INSTANCE = new TaskStopped();

    private TaskStopped() {
        super("job stopped", null, false, false);
    }
}
