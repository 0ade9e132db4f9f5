package dev.stretch.engine.esg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counter that one thread advances and other threads observe: a writer's published-batch count, a
 * reader's released-batch count, a writer's heartbeat.
 *
 * <p>Padded on both sides (seven longs each) so that two hot sequences never share a 64-byte cache
 * line; the ESG allocates one per writer and one per (reader, writer) pair, and without padding a
 * reader advancing its gate would invalidate the line holding a writer's published count.
 *
 * <p>Ordering idiom: single writer, {@link #setRelease} to publish, {@link #getAcquire} to observe.
 * A release store orders every earlier load and store of the writing thread before it; an acquire
 * load orders every later load and store of the reading thread after it. So whatever a writer wrote
 * before {@code setRelease(v)} is visible to a reader that has seen {@code v} through
 * {@code getAcquire()}. That is all the ESG needs: it never needs a store to be ordered before a
 * later load (no Dekker-style handshake), so no full fence is paid on the hot path.
 */
public final class PaddedSequence extends PaddedSequenceValue {
    @SuppressWarnings("unused")
    private long p9, p10, p11, p12, p13, p14, p15;

    private static final VarHandle VALUE;

    static {
        try {
            VALUE = MethodHandles.lookup().findVarHandle(PaddedSequenceValue.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public PaddedSequence(long initial) {
        VALUE.setRelease(this, initial);
    }

    /** Acquire load: later reads by this thread see everything written before the matching release. */
    public long getAcquire() {
        return (long) VALUE.getAcquire(this);
    }

    /** Release store: everything this thread wrote before is visible to an acquiring reader of the value. */
    public void setRelease(long v) {
        VALUE.setRelease(this, v);
    }

    /** Plain read, for the owning thread only (it is the only writer, so it always sees its own value). */
    public long getPlain() {
        return (long) VALUE.get(this);
    }

    /** Atomic maximum; used only for rare, contended updates such as votes, never on the hot path. */
    public long accumulateMax(long v) {
        long cur;
        do {
            cur = (long) VALUE.getVolatile(this);
            if (cur >= v) {
                return cur;
            }
        } while (!VALUE.compareAndSet(this, cur, v));
        return v;
    }

    @Override
    public String toString() {
        return Long.toString(getAcquire());
    }
}

abstract class PaddedSequenceLeft {
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
}

abstract class PaddedSequenceValue extends PaddedSequenceLeft {
    protected long value;
}
