package dev.stretch.engine.state;

import dev.stretch.api.TimeWindow;

/** Where a closing window's results go: the operator instance's chain and output gates. */
public interface WindowOutput {
    /** Emits a result with its timestamp and lane (the key group it was computed for). */
    void emit(long timestamp, int lane, Object value);

    /** A user function failed while producing a window's output; applies the job's error policy. */
    void outputFailed(Object key, TimeWindow window, Exception cause);

    /** One input record (or pair) failed while producing a window's output; applies the job's error policy. */
    void recordFailed(Object record, long timestamp, String reason, Exception cause);
}
