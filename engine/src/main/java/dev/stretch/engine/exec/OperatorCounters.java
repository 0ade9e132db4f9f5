package dev.stretch.engine.exec;

import java.util.concurrent.atomic.LongAdder;

/**
 * Per-operator counters shared by its instances: rare events (late and bad records, dead letters,
 * reconfigurations) and the totals of instances that have been removed, so that operator totals never
 * go down.
 */
final class OperatorCounters {
    final String name;
    final LongAdder late = new LongAdder();
    final LongAdder bad = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder reconfigurations = new LongAdder();
    final LongAdder reconfigurationNanos = new LongAdder();
    final LongAdder retiredIn = new LongAdder();
    final LongAdder retiredOut = new LongAdder();
    final LongAdder retiredBusy = new LongAdder();
    /** Elements into and out of a chained operator, added by its producing tasks when they flush. */
    final LongAdder chainedIn = new LongAdder();
    final LongAdder chainedOut = new LongAdder();

    OperatorCounters(String name) {
        this.name = name;
    }

    /** Adds a removed instance's final counts; its thread has stopped and published them. */
    void retire(InstanceCounters c) {
        retiredIn.add(c.in);
        retiredOut.add(c.out);
        retiredBusy.add(c.busy);
    }
}
