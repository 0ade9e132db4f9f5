package dev.stretch.runtime.pipeline;

import dev.stretch.api.AggregateFunction;
import dev.stretch.api.Aggregations;
import dev.stretch.api.DataStream;
import dev.stretch.api.ErrorPolicy;
import dev.stretch.api.ExecutionMode;
import dev.stretch.api.BadRecordException;
import dev.stretch.api.JobConfig;
import dev.stretch.api.LateRecordPolicy;
import dev.stretch.api.Sink;
import dev.stretch.api.StreamApplication;
import dev.stretch.api.StreamEnvironment;
import dev.stretch.api.Windows;
import dev.stretch.model.AggregateFunctionName;
import dev.stretch.model.AggregateSpec;
import dev.stretch.model.Defaults;
import dev.stretch.model.Durations;
import dev.stretch.model.Expression;
import dev.stretch.model.FieldError;
import dev.stretch.model.JoinSpec;
import dev.stretch.model.MapSpec;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.RecordSchema;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobSpec;
import dev.stretch.model.StreamJobValidator;
import dev.stretch.model.WindowStageSpec;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated StreamJob into an engine job: a declarative pipeline becomes sources, chained CEL
 * maps and filters, keyed window aggregations and joins, and sinks; an application spec loads the user's
 * {@link StreamApplication}. Records are {@code Map<String, Object>} (Long, Double, String, Boolean, Map,
 * List, null).
 */
public final class PipelineBuilder {
    private final StreamJobManifest manifest;
    private final ConnectorFactory connectors;
    private final Integer threadsOverride;

    public PipelineBuilder(StreamJobManifest manifest, ConnectorFactory connectors, Integer threadsOverride) {
        this.manifest = manifest;
        this.connectors = connectors;
        this.threadsOverride = threadsOverride;
    }

    /** The engine settings the spec asks for. */
    public JobConfig jobConfig() {
        StreamJobSpec s = manifest.getSpec();
        int initial = threadsOverride != null ? threadsOverride : Defaults.threadsInitial(s);
        int max = Math.max(initial, Defaults.threadsMax(s));
        JobConfig.Builder b = JobConfig.builder()
                .mode(Defaults.mode(s) == dev.stretch.model.ExecutionMode.SN ? ExecutionMode.SN : ExecutionMode.VSN)
                .maxKeyGroups(Defaults.maxKeyGroups(s))
                .maxInstances(Math.min(max, Defaults.maxKeyGroups(s)))
                .errorPolicy(Defaults.errorPolicy(s) == dev.stretch.model.ErrorPolicy.DEAD_LETTER ? ErrorPolicy.DEAD_LETTER
                        : ErrorPolicy.FAIL)
                .lateRecords(Defaults.lateRecords(s) == dev.stretch.model.LateRecords.DEAD_LETTER
                        ? LateRecordPolicy.DEAD_LETTER : LateRecordPolicy.DROP)
                .batchSize(Defaults.batchSize(s))
                .defaultParallelism(initial)
                .deadLetterSink(connectors.deadLetters(s.getEngine() == null ? null : s.getEngine().getDeadLetter()));
        return b.build();
    }

    /** Builds the job into a new environment. */
    public StreamEnvironment build() throws Exception {
        StreamEnvironment env = StreamEnvironment.create(jobConfig());
        StreamJobSpec s = manifest.getSpec();
        if (s.getApplication() != null) {
            application(env, s);
        } else {
            pipeline(env, s);
        }
        return env;
    }

    private void application(StreamEnvironment env, StreamJobSpec s) throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        if (s.getApplication().getJar() != null) {
            URL jar = Path.of(s.getApplication().getJar()).toUri().toURL();
            cl = new URLClassLoader(new URL[] {jar}, cl);
        }
        String cn = s.getApplication().getClassName();
        Class<?> c;
        try {
            c = Class.forName(cn, true, cl);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("spec.application.className: class " + cn + " is not on the classpath"
                    + (s.getApplication().getJar() == null ? "" : " or in " + s.getApplication().getJar()), e);
        }
        if (!StreamApplication.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("spec.application.className: " + cn + " does not implement "
                    + StreamApplication.class.getName());
        }
        StreamApplication app = (StreamApplication) c.getDeclaredConstructor().newInstance();
        List<String> args = s.getApplication().getArgs() == null ? List.of() : s.getApplication().getArgs();
        app.define(env, args);
    }

    /** The record field that holds the Kafka key of the job's Kafka source (raw keys), or null. */
    private String kafkaKeyField;

    private void pipeline(StreamEnvironment env, StreamJobSpec s) {
        List<PipelineStage> stages = s.getPipeline();
        for (PipelineStage st : stages) {
            if (st.getSource() != null && st.getSource().getKafka() != null) {
                dev.stretch.model.KafkaFormatSpec k = st.getSource().getKafka().getKey();
                if (k == null || k.getFormat() == null || k.getFormat() == dev.stretch.model.KafkaFormat.RAW) {
                    kafkaKeyField = k == null || k.getField() == null ? "key" : k.getField();
                }
            }
        }
        List<String> names = StreamJobValidator.stageNames(stages);
        List<List<Integer>> inputs = StreamJobValidator.inputsOf(stages);
        List<DataStream<Map<String, Object>>> streams = new ArrayList<>();
        List<RecordSchema> schemas = new ArrayList<>();
        int threads = threadsOverride != null ? threadsOverride : Defaults.threadsInitial(s);
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage st = stages.get(i);
            String name = names.get(i);
            String path = "spec.pipeline[" + i + "]";
            DataStream<Map<String, Object>> in = inputs.get(i).isEmpty() ? null : streams.get(inputs.get(i).get(0));
            RecordSchema inSchema = inputs.get(i).isEmpty() ? RecordSchema.open() : schemas.get(inputs.get(i).get(0));
            DataStream<Map<String, Object>> out = null;
            RecordSchema outSchema = inSchema;
            switch (StreamJobValidator.kindOf(st)) {
                case "source" -> {
                    ConnectorFactory.SourceBinding b = connectors.source(st.getSource(), name);
                    out = env.fromSource(b.source(), b.watermarks(), name).setParallelism(b.parallelism());
                    outSchema = b.schema();
                }
                case "map" -> {
                    MapStage m = new MapStage(st.getMap(), inSchema, path + ".map");
                    out = in.map(m::apply).name(name);
                    outSchema = m.outSchema();
                }
                case "filter" -> {
                    Expression e = compile(st.getFilter().getExpression(), inSchema, RecordSchema.FieldType.BOOL,
                            path + ".filter.expression");
                    out = in.filter(r -> Boolean.TRUE.equals(evaluate(e, r))).name(name);
                }
                case "window" -> {
                    WindowStageSpec w = st.getWindow();
                    DataStream<Map<String, Object>> moved = connectors.repartition(env, in, name);
                    out = moved != null ? window(moved, w, inSchema, name, threads, true)
                            : window(in, w, inSchema, name, threads, false);
                    outSchema = RecordSchema.open();
                }
                case "join" -> {
                    JoinSpec j = st.getJoin();
                    DataStream<Map<String, Object>> right = streams.get(inputs.get(i).get(1));
                    if (j.theta()) {
                        out = thetaJoin(in, right, j, path + ".join")
                                .name(name).setParallelism(j.getParallelism() != null ? j.getParallelism() : threads);
                        outSchema = RecordSchema.open();
                        break;
                    }
                    Windows win = windows(j.getSize(), j.getSlide());
                    out = in.join(right).where((Map<String, Object> r) -> key(r, j.getLeftKey(), name))
                            .equalTo((Map<String, Object> r) -> key(r, j.getRightKey(), name))
                            .window(win)
                            .process(new RowJoin())
                            .name(name).setParallelism(j.getParallelism() != null ? j.getParallelism() : threads);
                    outSchema = RecordSchema.open();
                }
                case "sink" -> {
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Sink<Map<String, Object>> sink = (Sink) connectors.sink(st.getSink(), name);
                    // A job file's sink keeps one deterministic output order at every thread count (a stage of
                    // its own that merges the instances), as the file's outputs have always been written.
                    in.sinkTo(sink).name(name).disableChaining();
                }
                default -> throw new IllegalArgumentException(path + ": set exactly one of source, map, filter, window, join and sink");
            }
            streams.add(out);
            schemas.add(outSchema);
        }
    }

    /**
     * A band join ({@code |left.a - right.b| <= width}, compared on primitive values) or a theta join on a CEL
     * predicate over {@code left} and {@code right}; each matching pair at most {@code within} apart becomes
     * {left, right}, with the timestamp of the later record.
     */
    private static dev.stretch.api.WindowedOperator<Map<String, Object>> thetaJoin(DataStream<Map<String, Object>> left,
            DataStream<Map<String, Object>> right, JoinSpec j, String path) {
        var joined = left.join(right);
        long within = Durations.parse(j.getWithin()).toMillis();
        dev.stretch.api.JoinedStreams<Map<String, Object>, Map<String, Object>>.Theta theta;
        if (j.getBand() != null) {
            String lf = j.getBand().getLeft();
            String rf = j.getBand().getRight();
            theta = joined.onBand(r -> Rows.doubleValue(r, lf), r -> Rows.doubleValue(r, rf), j.getBand().getWidth());
        } else {
            Map<String, RecordSchema.FieldType> vars = new LinkedHashMap<>();
            vars.put("left", RecordSchema.FieldType.MAP);
            vars.put("right", RecordSchema.FieldType.MAP);
            Expression e = compile(j.getPredicate(), RecordSchema.of(vars), RecordSchema.FieldType.BOOL, path + ".predicate");
            theta = joined.on((l, r) -> {
                Map<String, Object> pair = new LinkedHashMap<>(2);
                pair.put("left", l);
                pair.put("right", r);
                return Boolean.TRUE.equals(evaluate(e, pair));
            });
        }
        return theta.withinMillis(within).apply((l, r) -> {
            Map<String, Object> m = new Row(2);
            m.put("left", l);
            m.put("right", r);
            return m;
        });
    }

    /** A multi-key record's keys: the elements of its list field (each distinct one once), or the field's one value. */
    private static void eachKey(Map<String, Object> r, String field, String stage, dev.stretch.api.Collector<Object> keys) {
        Object v = r.get(field);
        if (v == null) {
            throw new BadRecordException("field '" + field + "' is " + (r.containsKey(field) ? "null" : "missing")
                    + "; '" + stage + "' groups records by its elements");
        }
        if (v instanceof java.util.Collection<?> c) {
            for (Object k : c) {
                if (k == null) {
                    throw new BadRecordException("field '" + field + "' holds a null element; '" + stage
                            + "' groups records by its elements");
                }
                keys.collect(Rows.normalize(k));
            }
        } else {
            keys.collect(Rows.normalize(v));
        }
    }

    /** A window stage; {@code repartitioned}: its input comes from a repartition topic keyed by its key. */
    private DataStream<Map<String, Object>> window(DataStream<Map<String, Object>> in, WindowStageSpec w, RecordSchema schema,
            String name, int threads, boolean repartitioned) {
        Windows win = windows(w.getSize(), w.getSlide());
        String keyField = w.getKeyBy();
        AggregateSpec a = w.getAggregate();
        String as = a.getAsName() != null ? a.getAsName() : a.getFunction().wireName();
        String field = a.getField();
        boolean longField = field != null && schema.typeOf(field) == RecordSchema.FieldType.INT;
        AggregateFunction<Map<String, Object>, Object, Object> agg = aggregation(a.getFunction(), field, longField);
        if (w.getSimulatedWork() != null && !Durations.parseFine(w.getSimulatedWork()).isZero()) {
            agg = withWork(agg, new SimulatedWork(Durations.parseFine(w.getSimulatedWork())));
        }
        int parallelism = w.getParallelism() != null ? w.getParallelism() : threads;
        DataStream<Map<String, Object>> out;
        if (w.getKeyByEach() != null) {
            String each = w.getKeyByEach();
            out = in.keyByMany((Map<String, Object> r, dev.stretch.api.Collector<Object> keys) -> eachKey(r, each, name, keys))
                    .window(win)
                    .aggregate(agg, (Object k, dev.stretch.api.TimeWindow tw, Object v) -> Rows.windowRow(each, k, tw, as, v))
                    .name(name).setParallelism(parallelism);
        } else if (schema.typeOf(keyField) == RecordSchema.FieldType.INT) {
            out = in.keyByLong(r -> Rows.longValue(r, keyField, "the key of '" + name + "'")).window(win)
                    .aggregate(agg, (Long k, dev.stretch.api.TimeWindow tw, Object v) -> Rows.windowRow(keyField, k, tw, as, v))
                    .name(name).setParallelism(parallelism);
        } else {
            // keyed by the Kafka topic's key (or the repartition topic's): the key carries its partition (a key lives
            // in one partition)
            boolean byTopicKey = repartitioned || keyField.equals(kafkaKeyField);
            out = in.keyBy((Map<String, Object> r) -> byTopicKey ? originKey(r, keyField, name) : key(r, keyField, name))
                    .window(win)
                    .aggregate(agg, (Object k, dev.stretch.api.TimeWindow tw, Object v) -> Rows.windowRow(keyField, k, tw, as, v))
                    .name(name).setParallelism(parallelism);
        }
        if (w.getMaxKeyGroups() != null) {
            ((dev.stretch.api.WindowedOperator<?>) out).setMaxParallelism(w.getMaxKeyGroups());
        }
        return out;
    }

    private static Object originKey(Map<String, Object> r, String field, String stage) {
        Object k = key(r, field, stage);
        Object o = r.get(Rows.ORIGIN);
        return o instanceof Long l ? new Rows.OriginKey(k, l) : k;
    }

    /** The key field of a record, or a bad record naming the field when the record has none. */
    private static Object key(Map<String, Object> r, String field, String stage) {
        Object k = r.get(field);
        if (k == null) {
            throw new BadRecordException("field '" + field + "' is " + (r.containsKey(field) ? "null" : "missing")
                    + "; '" + stage + "' groups records by it");
        }
        return k;
    }

    private static Object evaluate(Expression e, Map<String, Object> r) {
        return Expressions.evaluate(e, r);
    }

    /** {@code agg} with {@code work} done for every record it adds. */
    private static AggregateFunction<Map<String, Object>, Object, Object> withWork(
            AggregateFunction<Map<String, Object>, Object, Object> agg, SimulatedWork work) {
        return new AggregateFunction<>() {
            @Override
            public Object createAccumulator() {
                return agg.createAccumulator();
            }

            @Override
            public Object add(Map<String, Object> value, Object accumulator) throws Exception {
                work.spend(System.identityHashCode(value));
                return agg.add(value, accumulator);
            }

            @Override
            public Object merge(Object a, Object b) {
                return agg.merge(a, b);
            }

            @Override
            public Object getResult(Object accumulator) {
                return agg.getResult(accumulator);
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static AggregateFunction<Map<String, Object>, Object, Object> aggregation(AggregateFunctionName f, String field,
            boolean longField) {
        if (f == AggregateFunctionName.COUNT) {
            return (AggregateFunction) Aggregations.<Map<String, Object>>count();
        }
        if (longField) {
            return (AggregateFunction) switch (f) {
                case SUM -> Aggregations.<Map<String, Object>>sum(r -> Rows.longValue(r, field));
                case MIN -> Aggregations.<Map<String, Object>>min(r -> Rows.longValue(r, field));
                case MAX -> Aggregations.<Map<String, Object>>max(r -> Rows.longValue(r, field));
                default -> Aggregations.<Map<String, Object>>avg(r -> Rows.longValue(r, field));
            };
        }
        return (AggregateFunction) switch (f) {
            case SUM -> Aggregations.<Map<String, Object>>sumDouble(r -> Rows.doubleValue(r, field));
            case MIN -> Aggregations.<Map<String, Object>>minDouble(r -> Rows.doubleValue(r, field));
            case MAX -> Aggregations.<Map<String, Object>>maxDouble(r -> Rows.doubleValue(r, field));
            default -> Aggregations.<Map<String, Object>>avgDouble(r -> Rows.doubleValue(r, field));
        };
    }

    private static Windows windows(String size, String slide) {
        long sz = Durations.parse(size).toMillis();
        long sl = slide == null ? sz : Durations.parse(slide).toMillis();
        return Windows.slidingMillis(sz, sl);
    }

    static Expression compile(String source, RecordSchema schema, RecordSchema.FieldType type, String path) {
        Expression.Compiled c = Expression.compile(source, schema, type);
        if (!c.ok()) {
            throw new IllegalArgumentException(new FieldError(path, c.error()).toString());
        }
        return c.expression();
    }

    /** A map stage: evaluates its expressions on the incoming record, sets the results, drops fields. */
    static final class MapStage {
        private final Map<String, Expression> set = new LinkedHashMap<>();
        private final List<String> drop;
        private final RecordSchema out;

        MapStage(MapSpec m, RecordSchema in, String path) {
            RecordSchema o = in;
            if (m.getSet() != null) {
                for (Map.Entry<String, String> e : m.getSet().entrySet()) {
                    set.put(e.getKey(), compile(e.getValue(), in, null, path + ".set." + e.getKey()));
                    o = o.with(e.getKey(), RecordSchema.FieldType.DYN);
                }
            }
            this.drop = m.getDrop() == null ? List.of() : List.copyOf(m.getDrop());
            for (String d : drop) {
                o = o.without(d);
            }
            this.out = o;
        }

        Map<String, Object> apply(Map<String, Object> r) {
            Map<String, Object> copy = new Row(r);
            for (Map.Entry<String, Expression> e : set.entrySet()) {
                copy.put(e.getKey(), Rows.normalize(evaluate(e.getValue(), r)));
            }
            for (String d : drop) {
                copy.remove(d);
            }
            return copy;
        }

        RecordSchema outSchema() {
            return out;
        }
    }
}
