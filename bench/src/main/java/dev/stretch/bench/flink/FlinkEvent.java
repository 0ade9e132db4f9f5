package dev.stretch.bench.flink;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * The benchmark event in Flink: mutable, with a compact 24-byte serializer ({@link FlinkEventType}) found
 * through the annotation wherever the type appears. Also carries window results as (windowEnd, key,
 * aggregate).
 */
@TypeInfo(FlinkEventType.Factory.class)
public final class FlinkEvent {
    public long ts;
    public long key;
    public long value;

    public FlinkEvent() {
    }

    public FlinkEvent(long ts, long key, long value) {
        this.ts = ts;
        this.key = key;
        this.value = value;
    }

    @Override
    public String toString() {
        return "(" + ts + "," + key + "," + value + ")";
    }
}
