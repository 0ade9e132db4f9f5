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
    /** For an input of a theta join: the bucket each element is stored in; else {@code null}. */
    final RoundRobinBuckets roundRobin;
    /** In SN mode, whether each element goes to every instance (a theta join's right side) rather than one. */
    final boolean broadcast;
    /**
     * Whether the producer's output is sorted by timestamp only, not by order within one (a theta join):
     * its emitters then sort each timestamp's rows before writing (see {@link EdgeEmitter}). Set while
     * the job is planned, before any emitter exists.
     */
    boolean stagesWithinTimestamp;

    Edge(int id, InputPort consumer, int side, KeySpec key, int keyGroups, OperatorCounters consumerCounters,
            int producerLanes) {
        this(id, consumer, side, key, keyGroups, consumerCounters, producerLanes, false);
    }

    /** @param thetaJoin whether the consumer is a theta join (elements stored round robin; right side broadcast in SN mode) */
    Edge(int id, InputPort consumer, int side, KeySpec key, int keyGroups, OperatorCounters consumerCounters,
            int producerLanes, boolean thetaJoin) {
        this.id = id;
        this.consumer = consumer;
        this.side = side;
        this.key = key;
        this.keyGroups = keyGroups;
        this.consumerCounters = consumerCounters;
        this.lanes = new LaneSequencer(producerLanes);
        this.roundRobin = thetaJoin ? new RoundRobinBuckets(producerLanes, keyGroups) : null;
        this.broadcast = thetaJoin && side == 1;
    }

    EdgeEmitter newEmitter(long startProgress, JobContext ctx, EdgeEmitter.ProducerProgress progress, WaitHook hook,
            Backoff backoff, InstanceCounters counters) {
        return new EdgeEmitter(this, consumer.addWriters(side, startProgress), consumer.route(), ctx, progress, hook,
                backoff, counters);
    }
}
