package dev.stretch.engine.plan;

import dev.stretch.api.Sink;
import java.util.List;

/** A sink: chained into its producer by default, or a stage of its own (see {@link #chainedIntoProducer}). */
public final class SinkNode extends StreamNode {
    private final Sink<?> sink;

    public SinkNode(int id, String name, StreamNode input, Sink<?> sink) {
        super(id, name, List.of(input));
        this.sink = sink;
    }

    private boolean chainingDisabled;

    public Sink<?> sink() {
        return sink;
    }

    public void disableChaining() {
        this.chainingDisabled = true;
    }

    /**
     * Whether the sink runs chained into the stage that produces its input (its parallelism follows that
     * stage's instances): unless a parallelism was set or chaining was disabled.
     */
    public boolean chainedIntoProducer() {
        return parallelism() < 1 && !chainingDisabled;
    }
}
