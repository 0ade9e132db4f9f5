package dev.stretch.bench.flink;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Type information for {@link FlinkEvent}: three raw longs, no null flags, no reflection. What a
 * speed-minded Flink user writes instead of relying on the POJO serializer (28 bytes with flags,
 * reflective field access) or Kryo.
 */
public final class FlinkEventType extends TypeInformation<FlinkEvent> {
    private static final long serialVersionUID = 1L;
    public static final FlinkEventType INSTANCE = new FlinkEventType();

    /** Lets {@code @TypeInfo} on the class supply this type everywhere. */
    public static final class Factory extends TypeInfoFactory<FlinkEvent> {
        @Override
        public TypeInformation<FlinkEvent> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FlinkEvent> getTypeClass() {
        return FlinkEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FlinkEvent> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "FlinkEventType";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlinkEventType;
    }

    @Override
    public int hashCode() {
        return FlinkEventType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof FlinkEventType;
    }

    /** 24 bytes per event. */
    public static final class Serializer extends TypeSerializerSingleton<FlinkEvent> {
        private static final long serialVersionUID = 1L;
        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public FlinkEvent createInstance() {
            return new FlinkEvent();
        }

        @Override
        public FlinkEvent copy(FlinkEvent from) {
            return new FlinkEvent(from.ts, from.key, from.value);
        }

        @Override
        public FlinkEvent copy(FlinkEvent from, FlinkEvent reuse) {
            reuse.ts = from.ts;
            reuse.key = from.key;
            reuse.value = from.value;
            return reuse;
        }

        @Override
        public int getLength() {
            return 24;
        }

        @Override
        public void serialize(FlinkEvent e, DataOutputView target) throws IOException {
            target.writeLong(e.ts);
            target.writeLong(e.key);
            target.writeLong(e.value);
        }

        @Override
        public FlinkEvent deserialize(DataInputView source) throws IOException {
            return new FlinkEvent(source.readLong(), source.readLong(), source.readLong());
        }

        @Override
        public FlinkEvent deserialize(FlinkEvent reuse, DataInputView source) throws IOException {
            reuse.ts = source.readLong();
            reuse.key = source.readLong();
            reuse.value = source.readLong();
            return reuse;
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            target.write(source, 24);
        }

        @Override
        public TypeSerializerSnapshot<FlinkEvent> snapshotConfiguration() {
            return new Snapshot();
        }

        /** Stateless serializer: the snapshot only names it. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<FlinkEvent> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
