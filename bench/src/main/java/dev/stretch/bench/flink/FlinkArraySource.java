package dev.stretch.bench.flink;

import dev.stretch.bench.Dataset;
import dev.stretch.bench.OutputTally;
import dev.stretch.bench.Pacing;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * A bounded FLIP-27 source over a pre-generated {@link Dataset}, the same data and split layout as this
 * engine's source: {@code splits} strided splits (split {@code j} emits events {@code j, j + P, …}), one
 * per reader. Strided, not contiguous, so that every split moves through event time at the same pace: with
 * contiguous ranges (what Flink's own sequence and data-generator sources do) the second split starts
 * half-way through event time and the minimum watermark holds back every window until the first split
 * catches up.
 *
 * <p>One record per {@code pollNext} (the interface's recommendation; batching was slower here). The data
 * is found through {@link #DATA}, a static: the MiniCluster runs in this JVM and serialising 100+ MB of
 * columns into the job graph would be wasteful. Watermarks are generated per split; at the end of input
 * Flink emits {@code Long.MAX_VALUE}, which fires the remaining windows.
 */
public final class FlinkArraySource
        implements Source<FlinkEvent, FlinkArraySource.Split, Collection<FlinkArraySource.Split>>,
        ResultTypeQueryable<FlinkEvent> {
    private static final long serialVersionUID = 1L;

    /** The run's input streams, by index (0 = A, 1 = B). */
    static final Dataset[] DATA = new Dataset[2];

    private final int stream;
    private final long events;
    private final int splits;

    public FlinkArraySource(int stream, long events, int splits) {
        this.stream = stream;
        this.events = events;
        this.splits = splits;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<FlinkEvent> getProducedType() {
        return FlinkEventType.INSTANCE;
    }

    @Override
    public SourceReader<FlinkEvent, Split> createReader(SourceReaderContext ctx) {
        return new Reader(ctx, DATA[stream], events);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> createEnumerator(SplitEnumeratorContext<Split> ctx) {
        List<Split> all = new ArrayList<>();
        for (int j = 0; j < splits; j++) {
            all.add(new Split(j, splits, j));
        }
        return new Enumerator(ctx, all);
    }

    @Override
    public SplitEnumerator<Split, Collection<Split>> restoreEnumerator(SplitEnumeratorContext<Split> ctx,
            Collection<Split> checkpoint) {
        return new Enumerator(ctx, new ArrayList<>(checkpoint));
    }

    @Override
    public SimpleVersionedSerializer<Split> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<Split>> getEnumeratorCheckpointSerializer() {
        return new SimpleVersionedSerializer<>() {
            @Override
            public int getVersion() {
                return 1;
            }

            @Override
            public byte[] serialize(Collection<Split> c) throws IOException {
                DataOutputSerializer o = new DataOutputSerializer(64);
                o.writeInt(c.size());
                for (Split s : c) {
                    SplitSerializer.write(o, s);
                }
                return o.getCopyOfBuffer();
            }

            @Override
            public Collection<Split> deserialize(int version, byte[] b) throws IOException {
                DataInputDeserializer in = new DataInputDeserializer(b);
                int k = in.readInt();
                List<Split> l = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    l.add(SplitSerializer.read(in));
                }
                return l;
            }
        };
    }

    /** Indices {@code next, next + stride, …} below the source's event count. */
    public static final class Split implements SourceSplit, Serializable {
        private static final long serialVersionUID = 1L;
        final int id;
        final int stride;
        final long next;

        Split(int id, int stride, long next) {
            this.id = id;
            this.stride = stride;
            this.next = next;
        }

        @Override
        public String splitId() {
            return Integer.toString(id);
        }
    }

    static final class SplitSerializer implements SimpleVersionedSerializer<Split> {
        @Override
        public int getVersion() {
            return 1;
        }

        static void write(DataOutputSerializer o, Split s) throws IOException {
            o.writeInt(s.id);
            o.writeInt(s.stride);
            o.writeLong(s.next);
        }

        static Split read(DataInputDeserializer in) throws IOException {
            return new Split(in.readInt(), in.readInt(), in.readLong());
        }

        @Override
        public byte[] serialize(Split s) throws IOException {
            DataOutputSerializer o = new DataOutputSerializer(16);
            write(o, s);
            return o.getCopyOfBuffer();
        }

        @Override
        public Split deserialize(int version, byte[] b) throws IOException {
            return read(new DataInputDeserializer(b));
        }
    }

    /** Hands out one split per request, then signals that there are no more. */
    static final class Enumerator implements SplitEnumerator<Split, Collection<Split>> {
        private final SplitEnumeratorContext<Split> ctx;
        private final ArrayDeque<Split> remaining;

        Enumerator(SplitEnumeratorContext<Split> ctx, List<Split> splits) {
            this.ctx = ctx;
            this.remaining = new ArrayDeque<>(splits);
        }

        @Override
        public void start() {
        }

        @Override
        public void handleSplitRequest(int subtask, String host) {
            Split s = remaining.poll();
            if (s != null) {
                ctx.assignSplit(s, subtask);
            } else {
                ctx.signalNoMoreSplits(subtask);
            }
        }

        @Override
        public void addSplitsBack(List<Split> back, int subtask) {
            remaining.addAll(back);
        }

        @Override
        public void addReader(int subtask) {
        }

        @Override
        public Collection<Split> snapshotState(long checkpointId) {
            return new ArrayList<>(remaining);
        }

        @Override
        public void close() {
        }
    }

    static final class Reader implements SourceReader<FlinkEvent, Split> {
        private final SourceReaderContext ctx;
        private final Dataset data;
        private final long events;
        private final OutputTally tally = OutputTally.current();
        private final Pacing pacing = tally.pacing();
        private final ArrayDeque<Split> assigned = new ArrayDeque<>();
        private CompletableFuture<Void> available = new CompletableFuture<>();
        private boolean noMoreSplits;
        private Split current;
        private Dataset.Cursor cursor;
        private SourceOutput<FlinkEvent> out;

        Reader(SourceReaderContext ctx, Dataset data, long events) {
            this.ctx = ctx;
            this.data = data;
            this.events = events;
        }

        @Override
        public void start() {
            ctx.sendSplitRequest();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<FlinkEvent> output) {
            if (current == null) {
                current = assigned.poll();
                if (current == null) {
                    if (noMoreSplits) {
                        return InputStatus.END_OF_INPUT;
                    }
                    if (available.isDone()) {
                        available = new CompletableFuture<>();
                    }
                    return InputStatus.NOTHING_AVAILABLE;
                }
                out = output.createOutputForSplit(current.splitId());
                cursor = data.cursor(current.next, current.stride);
                tally.markSourceStart();
            }
            if (cursor.index() < events) {
                if (pacing != null) {
                    pacing.awaitDue(cursor.index());
                }
                out.collect(new FlinkEvent(cursor.ts(), cursor.key(), cursor.value()), cursor.ts());
                cursor.advance();
            }
            if (cursor.index() >= events) {
                output.releaseOutputForSplit(current.splitId());
                current = null;
                ctx.sendSplitRequest();
            }
            return InputStatus.MORE_AVAILABLE;
        }

        @Override
        public List<Split> snapshotState(long checkpointId) {
            List<Split> l = new ArrayList<>(assigned);
            if (current != null) {
                l.add(new Split(current.id, current.stride, cursor.index()));
            }
            return l;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return available;
        }

        @Override
        public void addSplits(List<Split> splits) {
            assigned.addAll(splits);
            available.complete(null);
        }

        @Override
        public void notifyNoMoreSplits() {
            noMoreSplits = true;
            available.complete(null);
        }

        @Override
        public void close() {
        }
    }
}
