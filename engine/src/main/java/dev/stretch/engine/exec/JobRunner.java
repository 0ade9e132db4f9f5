package dev.stretch.engine.exec;

import dev.stretch.api.InvalidReconfigurationException;
import dev.stretch.api.JobExecution;
import dev.stretch.api.JobFailedException;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.GateMembership;
import dev.stretch.engine.esg.TupleOrder;
import dev.stretch.api.JobMetrics;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.api.ReconfigurationListener;
import dev.stretch.engine.plan.ChainedNode;
import dev.stretch.engine.plan.JobGraph;
import dev.stretch.engine.plan.SinkNode;
import dev.stretch.engine.plan.SourceNode;
import dev.stretch.engine.plan.StreamNode;
import dev.stretch.engine.plan.WindowNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a {@link JobGraph} into stages and runs them: the planner (which operator runs in which stage,
 * which edges connect them) and the {@link JobExecution} of a running job.
 */
public final class JobRunner implements JobExecution {
    private final JobGraph graph;
    private final JobContext ctx;
    private final List<Stage> stages = new ArrayList<>();
    private final Map<String, Stage> stageByName = new HashMap<>();
    private final Map<String, OperatorCounters> chainedCounters = new LinkedHashMap<>();
    private final Map<String, Stage> chainedParent = new HashMap<>();
    /** Sinks chained into their producer, by sink node. */
    private final Map<SinkNode, ChainedSink> chainedSinks = new LinkedHashMap<>();
    private final List<ReconfigurationListener> listeners = new CopyOnWriteArrayList<>();
    private int nextEdgeId;

    private JobRunner(JobGraph graph) throws Exception {
        this.graph = graph;
        this.ctx = new JobContext(graph.name(), graph.config());
    }

    /** Plans and starts a job. */
    public static JobExecution start(JobGraph graph) {
        JobRunner r;
        try {
            r = new JobRunner(graph);
            r.plan();
        } catch (IllegalArgumentException | JobFailedException e) {
            throw e;
        } catch (Exception e) {
            throw new JobFailedException(null, "job '" + graph.name() + "' could not start: " + e, e);
        }
        r.launch();
        return r;
    }

    private void plan() throws Exception {
        Map<StreamNode, Stage> stageOf = new HashMap<>();
        int defaultParallelism = graph.config().defaultParallelism();
        for (StreamNode n : graph.nodes()) {
            Stage s;
            if (n instanceof SourceNode sn) {
                s = new SourceStage(sn, ctx, n.parallelism() > 0 ? n.parallelism() : defaultParallelism);
            } else if (n instanceof WindowNode wn) {
                int kg = wn.maxKeyGroups() > 0 ? wn.maxKeyGroups() : graph.config().maxKeyGroups();
                if (wn.maxKeyGroups() <= 0 && wn.logic().thetaJoin() != null) {
                    // a theta join visits every bucket it owns for every element: one bucket per possible instance
                    kg = Math.min(kg, graph.config().maxInstances());
                }
                int p = n.parallelism() > 0 ? n.parallelism() : Math.min(defaultParallelism, kg);
                s = new WindowStage(wn, ctx, p, kg);
            } else if (n instanceof SinkNode sk && sk.chainedIntoProducer()) {
                Stage producer = stageOf.get(n.inputs().get(0));
                stageOf.put(n, producer);
                chainedSinks.put(sk, new ChainedSink(sk, producer));
                chainedParent.put(n.name(), producer);
                continue;
            } else if (n instanceof SinkNode sk) {
                s = new SinkStage(sk, ctx, n.parallelism() > 0 ? n.parallelism() : 1);
            } else {
                stageOf.put(n, stageOf.get(n.inputs().get(0)));
                chainedCounters.put(n.name(), new OperatorCounters(n.name()));
                chainedParent.put(n.name(), stageOf.get(n));
                continue;
            }
            stageOf.put(n, s);
            stages.add(s);
            stageByName.put(n.name(), s);
        }
        for (StreamNode n : graph.nodes()) {
            if (!n.isChained() && !(n instanceof SinkNode)) {
                Stage s = stageOf.get(n);
                for (OutputPlan p : outputsOf(n, s, stageOf)) {
                    s.outputs.add(p);
                }
            }
        }
        for (Stage s : stages) {
            s.initInput();
        }
        for (Stage s : stages) {
            s.init();
        }
    }

    private List<OutputPlan> outputsOf(StreamNode producer, Stage producerStage, Map<StreamNode, Stage> stageOf) {
        List<OutputPlan> plans = new ArrayList<>();
        for (StreamNode c : new LinkedHashSet<>(producer.outputs())) {
            if (c instanceof ChainedNode cn) {
                OutputPlan p = OutputPlan.chained(cn, chainedCounters.get(c.name()));
                for (OutputPlan child : outputsOf(c, producerStage, stageOf)) {
                    p.add(child);
                }
                plans.add(p);
                continue;
            }
            if (c instanceof SinkNode sk && chainedSinks.containsKey(sk)) {
                plans.add(OutputPlan.sink(chainedSinks.get(sk)));
                continue;
            }
            Stage consumer = stageOf.get(c);
            for (int side = 0; side < c.inputs().size(); side++) {
                if (c.inputs().get(side) != producer) {
                    continue;
                }
                if (nextEdgeId >= TupleOrder.MAX_STAGES) {
                    throw new IllegalArgumentException("job '" + graph.name() + "' has more than "
                            + TupleOrder.MAX_STAGES + " connections between operators");
                }
                Edge e;
                if (c instanceof WindowNode wn) {
                    WindowStage ws = (WindowStage) consumer;
                    e = new Edge(nextEdgeId++, ws, side, wn.keys().get(side), ws.keyGroups(), ws.counters,
                            producerStage.lanes(), wn.logic().thetaJoin() != null);
                } else {
                    SinkStage ss = (SinkStage) consumer;
                    e = new Edge(nextEdgeId++, ss, side, null, 1, ss.counters, producerStage.lanes());
                }
                e.stagesWithinTimestamp = producerStage.emitsUnsortedWithinTimestamp();
                plans.add(OutputPlan.edge(e));
            }
        }
        return plans;
    }

    private void launch() {
        // The launcher counts as a task until every stage has started: otherwise a stage that ends at once
        // (an empty source) could bring the count to zero and shut the pool before the next stage starts.
        ctx.taskStarted();
        try {
            for (Stage s : stages) {
                s.start();
            }
        } finally {
            ctx.taskEnded();
        }
    }

    @Override
    public String name() {
        return graph.name();
    }

    @Override
    public Status status() {
        if (!ctx.done().isDone()) {
            if (ctx.isStopping()) {
                return ctx.failure() != null ? Status.FAILED : Status.CANCELLED;
            }
            return Status.RUNNING;
        }
        if (ctx.failure() != null) {
            return Status.FAILED;
        }
        return ctx.isCancelled() ? Status.CANCELLED : Status.FINISHED;
    }

    @Override
    public void awaitTermination() {
        try {
            ctx.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for job '" + name() + "'", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        throwIfFailed();
    }

    @Override
    public boolean awaitTermination(Duration timeout) {
        try {
            ctx.done().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for job '" + name() + "'", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        throwIfFailed();
        return true;
    }

    private void throwIfFailed() {
        Throwable f = ctx.failure();
        if (f instanceof JobFailedException j) {
            throw new JobFailedException(j.operator(), j.getMessage(), j);
        }
        if (f != null) {
            throw new JobFailedException(null, "job '" + name() + "' failed: " + f, f);
        }
    }

    @Override
    public void cancel() {
        ctx.cancel();
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(ctx.failure());
    }

    @Override
    public synchronized ReconfigurationResult reconfigure(String operator, int instances) {
        Stage s = elasticStage(operator, instances);
        if (ctx.isStopping() || !ctx.enter()) {
            throw new IllegalStateException("job '" + name() + "' is not running");
        }
        if (s.instances() == instances) {
            ctx.taskEnded();
            return new ReconfigurationResult(operator, instances, instances, 0, Long.MIN_VALUE, 0); // nothing to do
        }
        ReconfigurationResult r;
        try {
            r = s.reconfigure(instances);
        } finally {
            ctx.taskEnded();
        }
        if (r.from() != r.to()) {
            for (ReconfigurationListener l : listeners) {
                l.onReconfiguration(r);
            }
        }
        return r;
    }

    @Override
    public synchronized List<ReconfigurationResult> reconfigure(Map<String, Integer> request) {
        for (Map.Entry<String, Integer> e : request.entrySet()) {
            elasticStage(e.getKey(), e.getValue());
        }
        List<ReconfigurationResult> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : request.entrySet()) {
            out.add(reconfigure(e.getKey(), e.getValue()));
        }
        return out;
    }

    private Stage elasticStage(String operator, int instances) {
        Stage s = stageByName.get(operator);
        if (s == null) {
            if (chainedParent.containsKey(operator)) {
                throw new InvalidReconfigurationException("operator '" + operator + "' is chained into '"
                        + chainedParent.get(operator).name + "'; rescale that one");
            }
            throw new InvalidReconfigurationException("unknown operator '" + operator + "'; elastic operators: "
                    + elasticOperators().stream().map(ElasticOperator::name).toList());
        }
        if (!s.isElastic()) {
            throw new InvalidReconfigurationException("operator '" + operator + "' (" + s.kind + ") cannot be rescaled"
                    + (s instanceof WindowStage ? ": it runs in SN mode" : ""));
        }
        s.checkInstances(instances);
        return s;
    }

    @Override
    public int instances(String operator) {
        Stage s = stageByName.get(operator);
        if (s == null && chainedParent.containsKey(operator)) {
            Stage parent = chainedParent.get(operator);
            for (ChainedSink cs : chainedSinks.values()) {
                if (cs.name.equals(operator) && parent instanceof SourceStage) {
                    return parent.lanes(); // a chained sink's writers: one per split, whichever thread reads it
                }
            }
            return parent.instances();
        }
        if (s == null) {
            throw new IllegalArgumentException("unknown operator '" + operator + "'");
        }
        return s.instances();
    }

    @Override
    public List<ElasticOperator> elasticOperators() {
        List<ElasticOperator> out = new ArrayList<>();
        for (Stage s : stages) {
            if (s.isElastic()) {
                out.add(new ElasticOperator(s.name, s.instances(), 1, s.maxInstances()));
            }
        }
        return out;
    }

    @Override
    public JobMetrics metrics() {
        List<OperatorMetrics> ops = new ArrayList<>();
        Map<Stage, OperatorMetrics> byStage = new HashMap<>();
        for (Stage s : stages) {
            OperatorMetrics m = s.metrics();
            byStage.put(s, m);
            ops.add(m);
        }
        for (ChainedSink cs : chainedSinks.values()) {
            OperatorMetrics p = byStage.get(cs.producer);
            OperatorCounters c = cs.counters;
            int writers = cs.producer instanceof SourceStage ? cs.producer.lanes() : p.instances(); // a writer per split
            ops.add(new OperatorMetrics(cs.name, "sink", writers, c.chainedIn.sum(), 0, 0, 0, c.bad.sum(),
                    c.deadLetters.sum(), 0, p.watermark(), p.maxInputTimestamp(), 0, 0, List.of()));
        }
        for (Map.Entry<String, OperatorCounters> e : chainedCounters.entrySet()) {
            OperatorCounters c = e.getValue();
            Stage parent = chainedParent.get(e.getKey());
            ops.add(new OperatorMetrics(e.getKey(), "chained", parent.instances(), c.chainedIn.sum(),
                    c.chainedOut.sum(), 0, 0, c.bad.sum(),
                    c.deadLetters.sum(), 0, Long.MIN_VALUE, Long.MIN_VALUE, 0, 0, List.of()));
        }
        return new JobMetrics(name(), System.nanoTime(), ops);
    }

    /**
     * Every input gate's membership now: after reconfigurations settle, each gate holds one open writer per
     * upstream producer, one reader per consuming instance and no closed writer.
     */
    public List<GateMembership> gateMemberships() {
        List<GateMembership> out = new ArrayList<>();
        for (ElasticScaleGate g : inputGates()) {
            out.add(g.membershipSnapshot());
        }
        return out;
    }

    /** The stage running operator {@code name} (tests). */
    Stage stage(String name) {
        return stageByName.get(name);
    }

    List<ElasticScaleGate> inputGates() {
        List<ElasticScaleGate> out = new ArrayList<>();
        for (Stage s : stages) {
            if (s instanceof InputPort p) {
                out.addAll(p.inputGates());
            }
        }
        return out;
    }

    /** Where every keyed operator's instances stand (positions, switch state), for diagnosing a stuck job. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Stage s : stages) {
            if (s instanceof WindowStage w) {
                b.append(w.describe()).append('\n');
            }
        }
        return b.toString();
    }

    @Override
    public void addReconfigurationListener(ReconfigurationListener listener) {
        listeners.add(listener);
    }
}
