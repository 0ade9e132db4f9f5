package dev.stretch.engine.esg;

/**
 * Called on every round of a wait loop (an empty read, a full ring), so a thread that waits still
 * answers control requests such as a reconfiguration vote or a cancellation. It may throw to abandon
 * the wait.
 */
@FunctionalInterface
public interface WaitHook {
    WaitHook NONE = () -> { };

    void onWait();

    /**
     * Called once a wait for room in a writer's ring has ended, with how long it lasted, so that time spent
     * blocked by backpressure is not counted as busy.
     */
    default void waited(long nanos) {
    }
}
