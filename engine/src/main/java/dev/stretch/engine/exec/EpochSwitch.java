package dev.stretch.engine.exec;

import dev.stretch.api.ReconfigurationResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One reconfiguration of a VSN operator in flight: the move from one key-group ownership (and instance
 * set) to another at an agreed position of the operator's input.
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li><b>Vote.</b> Every current instance, when it notices the request (between runs, or while it waits
 *       for input or for room downstream), votes the input position it has committed to: the last tuple
 *       of the run it is processing, or the watermark it has applied. From then on it goes no further.</li>
 *   <li><b>Decide.</b> The last vote fixes the switch position {@code S} = the highest vote. Every tuple
 *       at or below {@code S} is processed under the old ownership, every later one under the new.</li>
 *   <li><b>Catch up.</b> Each instance consumes its input up to {@code S}. Everything at or below
 *       {@code S} is already published and ready (some instance has read past it), so this needs no new
 *       input and cannot wait on another operator: concurrent reconfigurations of adjacent operators do
 *       not deadlock.</li>
 *   <li><b>Barrier.</b> Each instance publishes its output up to {@code S}, then arrives. Removed
 *       instances close their writers and leave the input gate first. The last to arrive installs the new
 *       ownership, adds the new instances (readers positioned exactly at {@code S}, writers whose progress
 *       starts at {@code S}'s watermark) and releases the others.</li>
 * </ol>
 * A position is (timestamp, order): equal timestamps may fall on both sides of {@code S}. That is safe
 * because windows close only when the watermark passes a timestamp, never between tuples of one
 * timestamp, and every instance sees every tuple: all instances stand at the same applied watermark at
 * {@code S}.
 *
 * <h2>Memory ordering</h2>
 * Votes are taken under this object's monitor; {@code decided}, {@code completed} and the arrival counter
 * are volatile/atomic. The old owner of a key group writes its state, then increments {@link #arrived}
 * (a volatile read-modify-write); the last arriver reads the counter, installs the new ownership and sets
 * {@link #completed}; the new owner reads {@code completed} before touching the state. That chain of
 * release/acquire edges makes the old owner's writes visible to the new owner without copying anything.
 */
final class EpochSwitch {
    final KeyGroupOwnership target;
    final int from;
    final int to;
    final int voters;
    final long requestNanos;
    final AtomicInteger arrived = new AtomicInteger();
    final CompletableFuture<ReconfigurationResult> result = new CompletableFuture<>();
    private int votes;
    private long maxTs = Long.MIN_VALUE;
    private long maxOrder = Long.MIN_VALUE;
    private volatile boolean decided;
    private long switchTs;
    private long switchOrder;
    volatile boolean completed;

    EpochSwitch(KeyGroupOwnership target, int from, int to, long requestNanos) {
        this.target = target;
        this.from = from;
        this.to = to;
        this.voters = from;
        this.requestNanos = requestNanos;
    }

    /** Records one instance's committed position; the last vote decides (and returns true). */
    synchronized boolean vote(long ts, long order) {
        if (ts > maxTs || (ts == maxTs && order > maxOrder)) {
            maxTs = ts;
            maxOrder = order;
        }
        if (++votes == voters) {
            switchTs = maxTs;
            switchOrder = maxOrder;
            decided = true; // volatile write after the plain ones: readers of 'decided' see them
            return true;
        }
        return false;
    }

    boolean decided() {
        return decided;
    }

    /** Valid once {@link #decided()} returned true. */
    long switchTs() {
        return switchTs;
    }

    /** Valid once {@link #decided()} returned true. */
    long switchOrder() {
        return switchOrder;
    }
}
