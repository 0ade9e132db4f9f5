package dev.stretch.engine.plan;

import dev.stretch.api.Sink;
import java.util.List;

/** A sink. */
public final class SinkNode extends StreamNode {
    private final Sink<?> sink;

    public SinkNode(int id, String name, StreamNode input, Sink<?> sink) {
        super(id, name, List.of(input));
        this.sink = sink;
    }

    public Sink<?> sink() {
        return sink;
    }
}
