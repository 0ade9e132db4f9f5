package dev.stretch.engine.plan;

import dev.stretch.api.Source;
import dev.stretch.api.WatermarkStrategy;
import java.util.List;

/** A source: splits read by source threads. */
public final class SourceNode extends StreamNode {
    private final Source<?> source;
    private final WatermarkStrategy<?> watermarks;

    public SourceNode(int id, String name, Source<?> source, WatermarkStrategy<?> watermarks) {
        super(id, name, List.of());
        this.source = source;
        this.watermarks = watermarks;
    }

    public Source<?> source() {
        return source;
    }

    public WatermarkStrategy<?> watermarks() {
        return watermarks;
    }
}
