package dev.stretch.engine.exec;

import dev.stretch.api.InvalidReconfigurationException;
import dev.stretch.api.ReconfigurationResult;
import dev.stretch.engine.esg.Backoff;
import dev.stretch.engine.esg.WaitHook;
import dev.stretch.api.OperatorMetrics;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit of execution: a source, a keyed windowed operator or a sink, with the stateless operators
 * chained after it. Each stage runs as one or more tasks on the job's pool.
 */
abstract class Stage {
    final String name;
    final String kind;
    final JobContext ctx;
    final OperatorCounters counters;
    final List<OutputPlan> outputs = new ArrayList<>();

    Stage(String name, String kind, JobContext ctx) {
        this.name = name;
        this.kind = kind;
        this.ctx = ctx;
        this.counters = new OperatorCounters(name);
    }

    /** Lanes this stage emits on (splits, or key groups). */
    abstract int lanes();

    /** Creates the stage's input gates and the initial instances' readers (before any writer exists). */
    void initInput() {
    }

    /** Creates the initial tasks' state and their writers into downstream gates. */
    abstract void init() throws Exception;

    /** Submits the tasks. */
    abstract void start();

    abstract int instances();

    abstract OperatorMetrics metrics();

    /** Whether this stage's output is sorted by timestamp only, not by order within one (a theta join). */
    boolean emitsUnsortedWithinTimestamp() {
        return false;
    }

    boolean isElastic() {
        return false;
    }

    int maxInstances() {
        return instances();
    }

    /** Throws, naming the allowed range, unless this stage may run {@code n} instances. */
    final void checkInstances(int n) {
        if (n < 1 || n > maxInstances()) {
            throw new InvalidReconfigurationException(instancesOutOfRange(n));
        }
    }

    String instancesOutOfRange(int n) {
        return "instances of '" + name + "' must be in [1, " + maxInstances() + "], requested " + n;
    }

    ReconfigurationResult reconfigure(int n) {
        throw new InvalidReconfigurationException("operator '" + name + "' (" + kind + ") cannot be rescaled");
    }

    List<Edge> outEdges() {
        List<Edge> es = new ArrayList<>();
        for (OutputPlan p : outputs) {
            p.collectEdges(es);
        }
        return es;
    }

    /** One producer's emitters (one per out edge) and the chain that feeds them. */
    final class Outputs {
        final EdgeEmitter[] emitters;
        final Output head;
        private final EdgeEmitter.ProducerProgress progress = new EdgeEmitter.ProducerProgress();
        private final List<ChainedOutputs.Counted> chained = new ArrayList<>();

        Outputs(long startProgress, WaitHook hook, Backoff backoff, InstanceCounters c, int instance) {
            List<Edge> edges = outEdges();
            Map<Edge, EdgeEmitter> m = new IdentityHashMap<>();
            emitters = new EdgeEmitter[edges.size()];
            progress.advance(startProgress);
            for (int i = 0; i < emitters.length; i++) {
                emitters[i] = edges.get(i).newEmitter(startProgress, ctx, progress, hook, backoff, c);
                m.put(edges.get(i), emitters[i]);
            }
            progress.init(emitters, hook);
            head = outputs.isEmpty() ? (ts, lane, v) -> { } : OutputPlan.buildAll(outputs, m, ctx, chained, instance, c);
        }

        /** Publishes open batches with the producer's progress {@code p} (nothing later is at or below it). */
        void flush(long p) {
            progress.advance(p);
            for (EdgeEmitter e : emitters) {
                e.flush();
            }
            for (int i = 0; i < chained.size(); i++) {
                chained.get(i).flushed();
            }
            publishChainedCounts();
        }

        /** Adds the chained operators' element counts to their totals (on the producing thread). */
        void publishChainedCounts() {
            for (int i = 0; i < chained.size(); i++) {
                chained.get(i).publishCounts();
            }
        }

        /** Records the producer's progress without publishing. */
        void progress(long p) {
            progress.advance(p);
        }

        void close() {
            for (EdgeEmitter e : emitters) {
                e.close();
            }
            for (int i = 0; i < chained.size(); i++) {
                chained.get(i).closed();
            }
            publishChainedCounts();
        }

        /**
         * The furthest progress announced by the other producers into the gates this one writes to
         * ({@code Long.MAX_VALUE} if one has ended; {@code Long.MIN_VALUE} if there is none).
         */
        long othersProgress() {
            long max = Long.MIN_VALUE;
            for (EdgeEmitter e : emitters) {
                max = Math.max(max, e.othersProgress());
            }
            return max;
        }

        /** This producer never waits for room downstream; see {@link EdgeEmitter#spillWhenFull}. */
        void spillWhenFull() {
            for (EdgeEmitter e : emitters) {
                e.spillWhenFull();
            }
        }

        boolean hasSpilled() {
            for (EdgeEmitter e : emitters) {
                if (e.hasSpilled()) {
                    return true;
                }
            }
            return false;
        }

        /** See {@link EdgeEmitter#awaitRoom}: {@code false} when room is free already somewhere. */
        boolean awaitRoom(Thread t) {
            for (EdgeEmitter e : emitters) {
                if (!e.awaitRoom(t)) {
                    return false;
                }
            }
            return true;
        }

        void stopAwaiting() {
            for (EdgeEmitter e : emitters) {
                e.stopAwaiting();
            }
        }

        /** Returns whether nothing waits outside a full ring any more. */
        boolean drainSpilled() {
            boolean clear = true;
            for (EdgeEmitter e : emitters) {
                clear &= e.drainSpilled();
            }
            return clear;
        }
    }
}
