package dev.stretch.engine.exec;

import dev.stretch.api.InstanceMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one operator instance. The owning thread counts in its own fields and publishes them with
 * opaque stores after each run ({@link #publish}); metric readers use opaque loads. Opaque access makes
 * each 64-bit value atomic and eventually visible, which is all a metric needs: no ordering between
 * counters is promised.
 */
final class InstanceCounters {
    private static final VarHandle IN;
    private static final VarHandle READ;
    private static final VarHandle OUT;
    private static final VarHandle BUSY;
    private static final VarHandle WM;
    private static final VarHandle BLOCKED;
    private static final VarHandle IDLE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IN = l.findVarHandle(InstanceCounters.class, "pubIn", long.class);
            READ = l.findVarHandle(InstanceCounters.class, "pubRead", long.class);
            OUT = l.findVarHandle(InstanceCounters.class, "pubOut", long.class);
            BUSY = l.findVarHandle(InstanceCounters.class, "pubBusy", long.class);
            WM = l.findVarHandle(InstanceCounters.class, "pubWatermark", long.class);
            BLOCKED = l.findVarHandle(InstanceCounters.class, "pubBlocked", long.class);
            IDLE = l.findVarHandle(InstanceCounters.class, "pubIdleTransitions", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final int index;
    final long startNanos = System.nanoTime();
    // owner-local
    long in;
    long read;
    long out;
    long busy;
    /** Time spent waiting for room downstream, which {@link #busy} must not include. */
    long blocked;
    long watermark = Long.MIN_VALUE;
    /** A source split's transitions to idle. */
    long idleTransitions;
    // published
    @SuppressWarnings("unused")
    private long pubIn;
    @SuppressWarnings("unused")
    private long pubRead;
    @SuppressWarnings("unused")
    private long pubOut;
    @SuppressWarnings("unused")
    private long pubBusy;
    @SuppressWarnings("unused")
    private long pubWatermark = Long.MIN_VALUE;
    @SuppressWarnings("unused")
    private long pubBlocked;
    @SuppressWarnings("unused")
    private long pubIdleTransitions;

    InstanceCounters(int index) {
        this.index = index;
    }

    void publish() {
        IN.setOpaque(this, in);
        READ.setOpaque(this, read);
        OUT.setOpaque(this, out);
        BUSY.setOpaque(this, busy);
        BLOCKED.setOpaque(this, blocked);
        WM.setOpaque(this, watermark);
        IDLE.setOpaque(this, idleTransitions);
    }

    InstanceMetrics snapshot() {
        return new InstanceMetrics(index, (long) IN.getOpaque(this), (long) READ.getOpaque(this),
                (long) OUT.getOpaque(this), (long) BUSY.getOpaque(this), (long) BLOCKED.getOpaque(this),
                System.nanoTime() - startNanos, (long) WM.getOpaque(this), (long) IDLE.getOpaque(this));
    }
}
