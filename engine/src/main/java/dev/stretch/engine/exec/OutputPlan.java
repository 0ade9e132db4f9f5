package dev.stretch.engine.exec;

import dev.stretch.engine.plan.ChainedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a stage does with each element it produces: a tree of chained stateless operators whose leaves
 * are edges into other stages. Built once by the planner; {@link #build} makes a task's own copy, wired
 * to that task's edge emitters.
 */
final class OutputPlan {
    private final ChainedNode op;
    private final OperatorCounters counters;
    private final Edge edge;
    private final ChainedSink sink;
    private final List<OutputPlan> children = new ArrayList<>();

    private OutputPlan(ChainedNode op, OperatorCounters counters, Edge edge, ChainedSink sink) {
        this.op = op;
        this.counters = counters;
        this.edge = edge;
        this.sink = sink;
    }

    static OutputPlan chained(ChainedNode op, OperatorCounters counters) {
        return new OutputPlan(op, counters, null, null);
    }

    static OutputPlan edge(Edge e) {
        return new OutputPlan(null, null, e, null);
    }

    static OutputPlan sink(ChainedSink s) {
        return new OutputPlan(null, null, null, s);
    }

    void add(OutputPlan child) {
        children.add(child);
    }

    void collectEdges(List<Edge> out) {
        if (edge != null) {
            out.add(edge);
        }
        for (OutputPlan c : children) {
            c.collectEdges(out);
        }
    }

    /** Builds a task's outputs; the chained operators built are added to {@code counted}. */
    static Output buildAll(List<OutputPlan> plans, Map<Edge, EdgeEmitter> emitters, JobContext ctx,
            List<ChainedOutputs.Counted> counted, int instance,
            InstanceCounters producer) {
        if (plans.size() == 1) {
            return plans.get(0).build(emitters, ctx, counted, instance, producer);
        }
        Output[] outs = new Output[plans.size()];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = plans.get(i).build(emitters, ctx, counted, instance, producer);
        }
        return new ChainedOutputs.FanOut(outs);
    }

    /** Builds task {@code instance}'s outputs (a chained sink opens that instance's writer). */
    Output build(Map<Edge, EdgeEmitter> emitters, JobContext ctx, List<ChainedOutputs.Counted> counted, int instance,
            InstanceCounters producer) {
        if (edge != null) {
            return emitters.get(edge);
        }
        if (sink != null) {
            ChainedSink.Writer w = sink.open(instance, producer);
            counted.add(w);
            return w;
        }
        Output next = buildAll(children, emitters, ctx, counted, instance, producer);
        ChainedOutputs.Counted c = switch (op.kind()) {
            case MAP -> new ChainedOutputs.MapOutput(op.function(), next, ctx, counters);
            case FILTER -> new ChainedOutputs.FilterOutput(op.function(), next, ctx, counters);
            case FLAT_MAP -> new ChainedOutputs.FlatMapOutput(op.function(), next, ctx, counters);
        };
        counted.add(c);
        return c;
    }
}
