package dev.stretch.engine.exec;

import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.WaitHook;
import dev.stretch.engine.plan.KeySpec;

/**
 * A connection from one producing operator (the end of a chain) into input {@code side} of a consuming
 * stage. Its id goes into every tuple's order, so two edges into one gate never tie.
 */
final class Edge {
    final int id;
    final InputPort consumer;
    final int side;
    final KeySpec key;
    final int keyGroups;
    final OperatorCounters consumerCounters;
    final LaneSequencer lanes;

    Edge(int id, InputPort consumer, int side, KeySpec key, int keyGroups, OperatorCounters consumerCounters,
            int producerLanes) {
        this.id = id;
        this.consumer = consumer;
        this.side = side;
        this.key = key;
        this.keyGroups = keyGroups;
        this.consumerCounters = consumerCounters;
        this.lanes = new LaneSequencer(producerLanes);
    }

    EdgeEmitter newEmitter(long startProgress, JobContext ctx, EdgeEmitter.ProducerProgress progress, WaitHook hook,
            Backoff backoff, InstanceCounters counters) {
        return new EdgeEmitter(this, consumer.addWriters(side, startProgress), consumer.route(), ctx, progress, hook,
                backoff, counters);
    }
}
