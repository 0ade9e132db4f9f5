package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a job document and reports every problem at once, each with its path
 * ({@code spec.pipeline[2].window.size: must be > 0}).
 *
 * <p>Two layers. First the rules the CRD carries (the {@code @Min}, {@code @Max}, {@code @Pattern},
 * {@code @Required} and CEL {@code @ValidationRule} annotations of the model classes), checked here by
 * reflection so a local run enforces exactly what the API server would. Then the semantic rules no
 * schema can express: stage references, field names and types flowing through the pipeline, expressions
 * that compile, bounds that agree with each other. The operator runs the same validator.
 */
public final class StreamJobValidator {
    /** DNS-1035 label: a Service (the job's headless Service is named after it) must start with a letter. */
    private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    private static final java.util.regex.Pattern QUANTITY = java.util.regex.Pattern.compile(ResourcesSpec.QUANTITY_PATTERN);
    private static final int MAX_NAME = 52; // StatefulSet names longer than 52 break the controller-revision label
    private static final Map<String, Expression> RULES = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = StreamJobReader.jsonMapper();

    private final List<FieldError> errors = new ArrayList<>();

    private StreamJobValidator() {
    }

    /** All problems of a document; empty when it is valid. */
    public static List<FieldError> validate(StreamJobManifest m) {
        StreamJobValidator v = new StreamJobValidator();
        v.document(m);
        return v.errors;
    }

    /** All problems of a spec alone (the operator's view: metadata comes from Kubernetes). */
    public static List<FieldError> validateSpec(StreamJobSpec spec, String name) {
        StreamJobValidator v = new StreamJobValidator();
        v.name(name, "metadata.name");
        if (spec == null) {
            v.err("spec", "required");
        } else {
            v.schema(spec, "spec");
            v.spec(spec);
        }
        return v.errors;
    }

    /** Names the stages of a pipeline: given names, or {@code <kind>-<index>}. */
    public static List<String> stageNames(List<PipelineStage> pipeline) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pipeline.size(); i++) {
            PipelineStage s = pipeline.get(i);
            names.add(s != null && s.getName() != null ? s.getName() : kindOf(s) + "-" + i);
        }
        return names;
    }

    /** The kind of a stage: source, map, filter, window, join, sink (or "stage" when none is set). */
    public static String kindOf(PipelineStage s) {
        if (s == null) {
            return "stage";
        }
        if (s.getSource() != null) {
            return "source";
        }
        if (s.getMap() != null) {
            return "map";
        }
        if (s.getFilter() != null) {
            return "filter";
        }
        if (s.getWindow() != null) {
            return "window";
        }
        if (s.getJoin() != null) {
            return "join";
        }
        if (s.getSink() != null) {
            return "sink";
        }
        return "stage";
    }

    /**
     * The inputs of each stage, by index: named in {@code from} (or a join's left and right), else the
     * stage before. Unknown names are left out (the validator reports them).
     */
    public static List<List<Integer>> inputsOf(List<PipelineStage> pipeline) {
        List<String> names = stageNames(pipeline);
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < pipeline.size(); i++) {
            PipelineStage s = pipeline.get(i) == null ? new PipelineStage() : pipeline.get(i);
            List<Integer> in = new ArrayList<>();
            List<String> refs = s.getJoin() != null ? joinRefs(s.getJoin()) : s.getFrom();
            if (s.getSource() != null) {
                refs = List.of();
            }
            if (refs == null) {
                if (i > 0) {
                    in.add(i - 1);
                }
            } else {
                for (String r : refs) {
                    int j = names.indexOf(r);
                    if (j >= 0 && j < i) {
                        in.add(j);
                    }
                }
            }
            out.add(in);
        }
        return out;
    }

    private static List<String> joinRefs(JoinSpec j) {
        List<String> r = new ArrayList<>();
        if (j.getLeft() != null) {
            r.add(j.getLeft());
        }
        if (j.getRight() != null) {
            r.add(j.getRight());
        }
        return r;
    }

    // ------------------------------------------------------------------ document

    private void document(StreamJobManifest m) {
        if (m == null) {
            err("(document)", "empty");
            return;
        }
        if (!StreamJobManifest.API_VERSION.equals(m.getApiVersion())) {
            err("apiVersion", m.getApiVersion() == null ? "required: " + StreamJobManifest.API_VERSION
                    : "must be " + StreamJobManifest.API_VERSION + ", was " + m.getApiVersion());
        }
        if (!StreamJobManifest.KIND.equals(m.getKind())) {
            err("kind", m.getKind() == null ? "required: StreamJob" : "must be StreamJob, was " + m.getKind());
        }
        name(m.getMetadata() == null ? null : m.getMetadata().getName(), "metadata.name");
        if (m.getSpec() == null) {
            err("spec", "required");
            return;
        }
        schema(m.getSpec(), "spec");
        spec(m.getSpec());
    }

    private void name(String name, String path) {
        if (name == null || name.isBlank()) {
            err(path, "required");
        } else if (!DNS_LABEL.matcher(name).matches()) {
            err(path, "'" + name + "' must be lower-case letters, digits and '-', starting with a letter and ending with a letter or digit");
        } else if (name.length() > MAX_NAME) {
            err(path, "must be at most " + MAX_NAME + " characters (pods are named after it), was " + name.length());
        }
    }

    // ------------------------------------------------------------------ CRD-level rules, by reflection

    private void schema(Object o, String path) {
        if (o == null) {
            return;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                schema(l.get(i), path + "[" + i + "]");
            }
            return;
        }
        Class<?> c = o.getClass();
        if (!c.getPackageName().equals(StreamJobValidator.class.getPackageName()) || c.isEnum()) {
            return;
        }
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Object v;
            try {
                v = f.get(o);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            JsonProperty jp = f.getAnnotation(JsonProperty.class);
            String p = path + "." + (jp != null ? jp.value() : f.getName());
            if (f.isAnnotationPresent(Required.class) && v == null) {
                err(p, "required");
            }
            if (v instanceof Number n) {
                Min min = f.getAnnotation(Min.class);
                if (min != null && n.doubleValue() < min.value()) {
                    err(p, "must be >= " + fmt(min.value()) + ", was " + n);
                }
                Max max = f.getAnnotation(Max.class);
                if (max != null && n.doubleValue() > max.value()) {
                    err(p, "must be <= " + fmt(max.value()) + ", was " + n);
                }
            }
            Size size = f.getAnnotation(Size.class);
            if (size != null && v != null) {
                size(v, size, p);
            }
            if (v instanceof String s) {
                Pattern pat = f.getAnnotation(Pattern.class);
                if (pat != null && !java.util.regex.Pattern.compile(pat.value()).matcher(s).matches()) {
                    err(p, patternMessage(pat.value(), s));
                }
            }
            schema(v, p);
        }
        ValidationRule[] rules = c.getAnnotationsByType(ValidationRule.class);
        if (rules.length > 0) {
            Map<String, Object> self = normalize(JSON.convertValue(o, Map.class));
            for (ValidationRule r : rules) {
                Expression e = RULES.computeIfAbsent(r.value(), src -> {
                    Expression.Compiled ce = Expression.compile(src, RecordSchema.of(Map.of("self", RecordSchema.FieldType.MAP)),
                            RecordSchema.FieldType.BOOL);
                    if (!ce.ok()) {
                        throw new IllegalStateException("invalid rule on " + c.getSimpleName() + ": " + ce.error());
                    }
                    return ce.expression();
                });
                try {
                    if (!Boolean.TRUE.equals(e.evaluate(Map.of("self", self)))) {
                        err(path, r.message().isEmpty() ? "violates " + r.value() : r.message());
                    }
                } catch (Exception ex) {
                    err(path, "cannot check rule " + r.value() + ": " + ex.getMessage());
                }
            }
        }
    }

    /** {@code @Size}: minLength/maxLength, minItems/maxItems or minProperties/maxProperties, as the CRD has them. */
    private void size(Object v, Size size, String p) {
        int n;
        String unit;
        if (v instanceof String s) {
            n = s.codePointCount(0, s.length());
            unit = "characters";
        } else if (v instanceof List<?> l) {
            n = l.size();
            unit = "items";
        } else if (v instanceof Map<?, ?> m) {
            n = m.size();
            unit = "entries";
        } else {
            return;
        }
        if (n < size.min()) {
            err(p, "must have at least " + fmt(size.min()) + " " + unit + ", has " + n);
        }
        if (n > size.max()) {
            err(p, "must have at most " + fmt(size.max()) + " " + unit + ", has " + n);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> normalize(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, normalizeValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normalizeValue(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Map<?, ?> mm) {
            return normalize((Map<String, Object>) mm);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(StreamJobValidator::normalizeValue).toList();
        }
        return v;
    }

    private static String patternMessage(String regex, String value) {
        if (regex.contains("us|ms|s")) {
            return "'" + value + "' is not a duration in us, ms or s (examples: 10us, 1.5ms)";
        }
        if (regex.contains("ms|s|m|h")) {
            return "'" + value + "' is not a duration (examples: 500ms, 10s, 1m30s, 2h)";
        }
        return "'" + value + "' does not match " + regex;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    // ------------------------------------------------------------------ semantics

    private void spec(StreamJobSpec s) {
        if (s.getPipeline() != null) {
            pipeline(s, s.getPipeline());
            // keyed stages over a Kafka input that pods cannot share (see KafkaPartitioning)
            KafkaPartitioning.analyse(s.getPipeline()).errors().forEach(e -> err(e.path(), e.message()));
        }
        if (s.getApplication() != null && s.getApplication().getClassName() == null) {
            err("spec.application.className", "required");
        }
        int tMin = Defaults.threadsMin(s);
        int tMax = Defaults.threadsMax(s);
        int kg = Defaults.maxKeyGroups(s);
        if (tMax > kg) {
            err("spec.parallelism.threads.max", "must not exceed engine.maxKeyGroups (" + kg + "), was " + tMax);
        }
        if (s.getParallelism() == null || s.getParallelism().getThreads() == null
                || s.getParallelism().getThreads().getMax() == null) {
            if (tMin > tMax) {
                err("spec.parallelism.threads.min", "must be <= the default max (" + tMax + ")");
            }
        }
        if (s.getEngine() != null && s.getEngine().getDeadLetter() != null) {
            sinkSpec(s.getEngine().getDeadLetter(), "spec.engine.deadLetter");
        }
        autoscaling(s.getAutoscaling());
        if (s.getResources() != null) {
            quantities(s.getResources().getRequests(), "spec.resources.requests");
            quantities(s.getResources().getLimits(), "spec.resources.limits");
        }
    }

    private void quantities(Map<String, String> q, String path) {
        if (q == null) {
            return;
        }
        q.forEach((k, v) -> {
            if (v == null || !QUANTITY.matcher(v).matches()) {
                err(path + "." + k, "'" + v + "' is not a Kubernetes quantity (examples: 500m, 2, 1Gi)");
            }
        });
    }

    private void autoscaling(AutoscalingSpec a) {
        if (a == null) {
            return;
        }
        double target = Defaults.targetUtilization(a);
        double low = Defaults.bandLow(a);
        double high = Defaults.bandHigh(a);
        if (low < high && (target <= low || target >= high)) {
            err("spec.autoscaling.targetUtilization", "must lie inside utilizationBand (" + low + ", " + high + "), was "
                    + target);
        }
        positive(a.getMetricWindow(), "spec.autoscaling.metricWindow");
        nonNegative(a.getStabilization(), "spec.autoscaling.stabilization");
        nonNegative(a.getScaleDownDelay(), "spec.autoscaling.scaleDownDelay");
        nonNegative(a.getPodScaleUpDelay(), "spec.autoscaling.podScaleUpDelay");
        nonNegative(a.getPodScaleDownDelay(), "spec.autoscaling.podScaleDownDelay");
        if (a.getExcludedPeriods() != null) {
            for (int i = 0; i < a.getExcludedPeriods().size(); i++) {
                String p = a.getExcludedPeriods().get(i);
                if (p == null || !EXCLUDED_PERIOD.matcher(p.trim()).matches()) {
                    err("spec.autoscaling.excludedPeriods[" + i + "]", "must be '[DAYS ]HH:MM-HH:MM' in UTC, DAYS like "
                            + "Mon-Fri or Sat,Sun; was '" + p + "'");
                }
            }
        }
        PodCpuSpec cpu = a.getPodCpu();
        if (cpu != null && cpu.getMinCores() != null && cpu.getMaxCores() != null
                && cpu.getMinCores() > cpu.getMaxCores()) {
            err("spec.autoscaling.podCpu.minCores", "must be <= maxCores (" + cpu.getMaxCores() + "), was "
                    + cpu.getMinCores());
        }
        MetricSourceSpec source = a.getMetricSource();
        if (source != null) {
            positive(source.getInterval(), "spec.autoscaling.metricSource.interval");
            positive(source.getRateWindow(), "spec.autoscaling.metricSource.rateWindow");
            if (source.getType() == MetricSourceType.PROMETHEUS && (source.getUrl() == null
                    || !source.getUrl().matches("^https?://[^\\s/]+.*$"))) {
                err("spec.autoscaling.metricSource.url", "a prometheus metric source needs an http(s) URL, was "
                        + (source.getUrl() == null ? "nothing" : "'" + source.getUrl() + "'"));
            }
        }
    }

    /** The same syntax as the autoscaler's {@code ExcludedPeriod}. */
    private static final java.util.regex.Pattern EXCLUDED_PERIOD = java.util.regex.Pattern.compile(
            "^(((Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)"
                    + "(,(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))?)* )?"
                    + "([01][0-9]|2[0-3]):[0-5][0-9]-(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$");

    private void pipeline(StreamJobSpec spec, List<PipelineStage> stages) {
        if (stages.isEmpty()) {
            err("spec.pipeline", "must have at least a source and a sink");
            return;
        }
        List<String> names = stageNames(stages);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            Integer prev = seen.put(names.get(i), i);
            if (prev != null) {
                err("spec.pipeline[" + i + "].name", "'" + names.get(i) + "' is also the name of spec.pipeline[" + prev
                        + "]; stage names must be unique");
            }
        }
        List<RecordSchema> schemas = new ArrayList<>();
        Set<Integer> consumed = new LinkedHashSet<>();
        boolean sink = false;
        int tMin = Defaults.threadsMin(spec);
        int tMax = Defaults.threadsMax(spec);
        for (int i = 0; i < stages.size(); i++) {
            String p = "spec.pipeline[" + i + "]";
            if (stages.get(i) == null) {
                err(p, "an empty list item; expected a stage (a mapping with one of source, map, filter, window, join, sink)");
            }
            PipelineStage s = stages.get(i) == null ? new PipelineStage() : stages.get(i);
            String kind = kindOf(s);
            List<Integer> inputs = resolveInputs(s, i, names, p);
            consumed.addAll(inputs);
            RecordSchema in = inputs.isEmpty() ? RecordSchema.open() : schemas.get(inputs.get(0));
            RecordSchema out = in;
            switch (kind) {
                case "source" -> out = source(s.getSource(), p + ".source");
                case "map" -> out = map(s.getMap(), in, p + ".map");
                case "filter" -> filter(s.getFilter(), in, p + ".filter");
                case "window" -> out = window(s.getWindow(), in, p + ".window", tMin, tMax);
                case "join" -> out = join(s.getJoin(), inputs.size() == 2 ? schemas.get(inputs.get(0)) : RecordSchema.open(),
                        inputs.size() == 2 ? schemas.get(inputs.get(1)) : RecordSchema.open(), p + ".join", tMin, tMax);
                case "sink" -> {
                    sink = true;
                    sinkSpec(s.getSink(), p + ".sink");
                }
                default -> { } // the CRD rule already reported "exactly one"
            }
            if (!kind.equals("source") && !kind.equals("stage") && inputs.isEmpty() && errors.stream()
                    .noneMatch(e -> e.path().startsWith(p))) {
                err(p, i == 0 ? "the first stage must be a source" : "has no input");
            }
            schemas.add(out);
        }
        for (int i = 0; i < stages.size(); i++) {
            String kind = kindOf(stages.get(i));
            if (!kind.equals("sink") && !kind.equals("stage") && !consumed.contains(i)) {
                err("spec.pipeline[" + i + "]", "the output of '" + names.get(i) + "' goes nowhere; add a sink or remove it");
            }
        }
        if (!sink) {
            err("spec.pipeline", "has no sink");
        }
        kafkaStages(spec, stages);
    }

    /** One Kafka source per job (its consumer group carries the offsets), one exactly-once Kafka sink, and a broker. */
    private void kafkaStages(StreamJobSpec spec, List<PipelineStage> stages) {
        List<Integer> sources = new ArrayList<>();
        List<Integer> exactlyOnce = new ArrayList<>();
        boolean any = false;
        for (int i = 0; i < stages.size(); i++) {
            PipelineStage s = stages.get(i);
            if (s == null) {
                continue;
            }
            if (s.getSource() != null && s.getSource().getKafka() != null) {
                sources.add(i);
                any = true;
            }
            if (s.getSink() != null && s.getSink().getKafka() != null) {
                any = true;
                if (s.getSink().getKafka().getDelivery() != KafkaDelivery.AT_LEAST_ONCE) {
                    exactlyOnce.add(i);
                }
            }
        }
        if (sources.size() > 1) {
            err("spec.pipeline[" + sources.get(1) + "].source.kafka", "a job reads Kafka through one source (list several"
                    + " topics in its topics); spec.pipeline[" + sources.get(0) + "] is one already");
        }
        if (exactlyOnce.size() > 1) {
            err("spec.pipeline[" + exactlyOnce.get(1) + "].sink.kafka.delivery", "one Kafka sink per job can be"
                    + " ExactlyOnce (it commits the input offsets); make this one AtLeastOnce");
        }
        if (any && (spec.getKafka() == null || spec.getKafka().getBootstrapServers() == null
                || spec.getKafka().getBootstrapServers().isBlank())) {
            err("spec.kafka.bootstrapServers", "required by the Kafka stages: host:port of the brokers");
        }
    }

    private void kafkaFormat(KafkaFormatSpec f, String p, boolean sink) {
        if (f == null) {
            return;
        }
        if (f.getFormat() == KafkaFormat.CSV && (f.getColumns() == null || f.getColumns().isEmpty())) {
            err(p + ".columns", "required for the csv format: the fields, in the order of the values");
        }
        if (f.getFormat() != KafkaFormat.CSV && f.getFormat() != KafkaFormat.JSON && f.getColumns() != null) {
            err(p + ".columns", "only for the csv and json formats");
        }
        if (f.getFormat() != null && f.getFormat() != KafkaFormat.RAW && f.getField() != null) {
            err(p + ".field", "only for the raw format");
        }
        if (sink && f.getFormat() == KafkaFormat.RAW && f.getField() == null && p.endsWith(".key")) {
            err(p + ".field", "required: the field whose text is the record key");
        }
    }

    private List<Integer> resolveInputs(PipelineStage s, int i, List<String> names, String p) {
        List<Integer> in = new ArrayList<>();
        if (s.getSource() != null) {
            if (s.getFrom() != null) {
                err(p + ".from", "a source reads no other stage");
            }
            return in;
        }
        if (s.getJoin() != null) {
            if (s.getFrom() != null) {
                err(p + ".from", "a join names its inputs in join.left and join.right");
            }
            ref(s.getJoin().getLeft(), i, names, p + ".join.left", in);
            ref(s.getJoin().getRight(), i, names, p + ".join.right", in);
            return in;
        }
        if (s.getFrom() == null) {
            if (i > 0) {
                in.add(i - 1);
            }
            return in;
        }
        if (s.getFrom().size() != 1) {
            err(p + ".from", "a " + kindOf(s) + " reads exactly one stage, got " + s.getFrom().size());
        }
        for (int k = 0; k < s.getFrom().size(); k++) {
            ref(s.getFrom().get(k), i, names, p + ".from[" + k + "]", in);
        }
        return in;
    }

    private void ref(String name, int i, List<String> names, String path, List<Integer> out) {
        if (name == null) {
            err(path, "required");
            return;
        }
        int j = names.indexOf(name);
        if (j < 0) {
            err(path, "no stage is named '" + name + "'; stages: " + names);
        } else if (j >= i) {
            err(path, "'" + name + "' comes later in the pipeline; a stage can only read earlier stages");
        } else {
            out.add(j);
        }
    }

    private RecordSchema source(SourceSpec s, String p) {
        if (s.getWatermark() != null && s.getWatermark().getIdleTimeout() != null) {
            positive(s.getWatermark().getIdleTimeout(), p + ".watermark.idleTimeout");
        }
        if (s.getGenerator() != null) {
            GeneratorSpec g = s.getGenerator();
            if (g.getRate() != null) {
                rate(g.getRate(), p + ".generator.rate");
            }
            if (s.getWatermark() != null && s.getWatermark().getTimestampField() != null
                    && !"ts".equals(s.getWatermark().getTimestampField())) {
                err(p + ".watermark.timestampField", "a generator's event time is its 'ts' field");
            }
            return RecordSchema.generator();
        }
        if (s.getKafka() != null) {
            KafkaSourceSpec k = s.getKafka();
            if (k.getTopics() == null || k.getTopics().isEmpty()) {
                err(p + ".kafka.topics", "required: at least one topic");
            }
            kafkaFormat(k.getKey(), p + ".kafka.key", false);
            kafkaFormat(k.getValue(), p + ".kafka.value", false);
            if (s.getParallelism() != null) {
                err(p + ".parallelism", "a Kafka source has one split per partition of its topics; remove parallelism");
            }
            return RecordSchema.open();
        }
        if (s.getFile() != null) {
            if (s.getFile().getPath() == null) {
                err(p + ".file.path", "required");
            }
            if (s.getWatermark() == null || s.getWatermark().getTimestampField() == null) {
                err(p + ".watermark.timestampField", "required for file sources: the field holding event time (epoch ms)");
            }
            if (s.getFile().getFormat() == RecordFormat.TEXT) {
                err(p + ".file.format", "a file source reads jsonl or csv");
            }
        }
        return RecordSchema.open();
    }

    private void rate(RateSpec r, String p) {
        RateProfile prof = r.getProfile() == null ? RateProfile.CONSTANT : r.getProfile();
        switch (prof) {
            case STEP -> {
                need(r.getPeak(), p + ".peak", "a step profile");
                need(r.getStepAt(), p + ".stepAt", "a step profile");
            }
            case SINE -> {
                need(r.getPeak(), p + ".peak", "a sine profile");
                need(r.getPeriod(), p + ".period", "a sine profile");
                positive(r.getPeriod(), p + ".period");
            }
            case BURST -> {
                need(r.getPeak(), p + ".peak", "a burst profile");
                need(r.getPeriod(), p + ".period", "a burst profile");
                need(r.getBurstDuration(), p + ".burstDuration", "a burst profile");
                positive(r.getPeriod(), p + ".period");
                if (Durations.isValid(r.getPeriod()) && Durations.isValid(r.getBurstDuration())
                        && Durations.parse(r.getBurstDuration()).compareTo(Durations.parse(r.getPeriod())) > 0) {
                    err(p + ".burstDuration", "must not exceed the period (" + r.getPeriod() + ")");
                }
            }
            default -> { }
        }
    }

    private void need(Object v, String p, String what) {
        if (v == null) {
            err(p, "required for " + what);
        }
    }

    private RecordSchema map(MapSpec m, RecordSchema in, String p) {
        if ((m.getSet() == null || m.getSet().isEmpty()) && (m.getDrop() == null || m.getDrop().isEmpty())) {
            err(p, "sets or drops nothing; give 'set' (field: expression) or 'drop'");
            return in;
        }
        RecordSchema out = in;
        if (m.getSet() != null) {
            for (Map.Entry<String, String> e : m.getSet().entrySet()) {
                Expression.Compiled c = Expression.compile(e.getValue(), in, null);
                if (!c.ok()) {
                    err(p + ".set." + e.getKey(), c.error());
                }
                out = out.with(e.getKey(), inferType(e.getValue(), in));
            }
        }
        if (m.getDrop() != null) {
            for (int k = 0; k < m.getDrop().size(); k++) {
                String f = m.getDrop().get(k);
                if (!in.has(f) && (m.getSet() == null || !m.getSet().containsKey(f))) {
                    err(p + ".drop[" + k + "]", "unknown field '" + f + "'; the records here have " + in.fields().keySet());
                }
                out = out.without(f);
            }
        }
        return out;
    }

    private static RecordSchema.FieldType inferType(String expr, RecordSchema in) {
        for (RecordSchema.FieldType t : new RecordSchema.FieldType[] {RecordSchema.FieldType.INT,
                RecordSchema.FieldType.DOUBLE, RecordSchema.FieldType.STRING, RecordSchema.FieldType.BOOL}) {
            if (Expression.compile(expr, in, t).ok()) {
                return t;
            }
        }
        return RecordSchema.FieldType.DYN;
    }

    private void filter(FilterSpec f, RecordSchema in, String p) {
        if (f.getExpression() == null) {
            err(p + ".expression", "required");
            return;
        }
        Expression.Compiled c = Expression.compile(f.getExpression(), in, RecordSchema.FieldType.BOOL);
        if (!c.ok()) {
            err(p + ".expression", c.error());
        }
    }

    private RecordSchema window(WindowStageSpec w, RecordSchema in, String p, int tMin, int tMax) {
        if (w.getKeyBy() != null && w.getKeyByEach() != null) {
            err(p + ".keyByEach", "set keyBy (one key per record) or keyByEach (a list of keys per record), not both");
        } else if (w.getKeyByEach() != null) {
            field(w.getKeyByEach(), in, p + ".keyByEach", false);
        } else if (w.getKeyBy() == null) {
            err(p + ".keyBy", "required (or keyByEach, a list field whose elements are the record's keys)");
        } else {
            field(w.getKeyBy(), in, p + ".keyBy", false);
        }
        Duration size = positive(w.getSize(), p + ".size");
        if (w.getSize() == null) {
            err(p + ".size", "required");
        }
        Duration slide = positive(w.getSlide(), p + ".slide");
        if (size != null && slide != null && slide.compareTo(size) > 0) {
            err(p + ".slide", "must not exceed the size (" + w.getSize() + ")");
        }
        threads(w.getParallelism(), p + ".parallelism", tMin, tMax);
        String as = "result";
        RecordSchema.FieldType type = RecordSchema.FieldType.DYN;
        if (w.getAggregate() == null) {
            err(p + ".aggregate", "required");
        } else {
            AggregateSpec a = w.getAggregate();
            if (a.getFunction() == null) {
                err(p + ".aggregate.function", "required: one of count, sum, min, max, avg");
            } else {
                as = a.getAsName() != null ? a.getAsName() : a.getFunction().wireName();
                if (a.getFunction() == AggregateFunctionName.COUNT) {
                    type = RecordSchema.FieldType.INT;
                    if (a.getField() != null) {
                        err(p + ".aggregate.field", "count takes no field");
                    }
                } else {
                    if (a.getField() == null) {
                        err(p + ".aggregate.field", "required for " + a.getFunction().wireName());
                    } else {
                        field(a.getField(), in, p + ".aggregate.field", true);
                    }
                    RecordSchema.FieldType ft = a.getField() == null ? RecordSchema.FieldType.DYN : in.typeOf(a.getField());
                    type = a.getFunction() == AggregateFunctionName.AVG || ft == RecordSchema.FieldType.DOUBLE
                            ? RecordSchema.FieldType.DOUBLE : ft == RecordSchema.FieldType.INT ? RecordSchema.FieldType.INT
                            : RecordSchema.FieldType.DYN;
                }
            }
        }
        Map<String, RecordSchema.FieldType> f = new LinkedHashMap<>();
        if (w.getKeyBy() != null) {
            f.put(w.getKeyBy(), in.typeOf(w.getKeyBy()));
        } else if (w.getKeyByEach() != null) {
            f.put(w.getKeyByEach(), RecordSchema.FieldType.DYN); // one element of the list
        }
        f.put("window_start", RecordSchema.FieldType.INT);
        f.put("window_end", RecordSchema.FieldType.INT);
        f.put(as, type);
        return RecordSchema.of(f);
    }

    private RecordSchema join(JoinSpec j, RecordSchema left, RecordSchema right, String p, int tMin, int tMax) {
        if (j.theta()) {
            return thetaJoin(j, left, right, p, tMin, tMax);
        }
        if (j.getWithin() != null) {
            err(p + ".within", "applies to band and theta joins (band or predicate); a join on keys uses size and slide");
        }
        field(j.getLeftKey(), left, p + ".leftKey", false);
        field(j.getRightKey(), right, p + ".rightKey", false);
        if (j.getLeftKey() == null) {
            err(p + ".leftKey", "required (or band, or predicate, for a non-equi join)");
        }
        if (j.getRightKey() == null) {
            err(p + ".rightKey", "required (or band, or predicate, for a non-equi join)");
        }
        if (j.getSize() == null) {
            err(p + ".size", "required");
        }
        Duration size = positive(j.getSize(), p + ".size");
        Duration slide = positive(j.getSlide(), p + ".slide");
        if (size != null && slide != null && slide.compareTo(size) > 0) {
            err(p + ".slide", "must not exceed the size (" + j.getSize() + ")");
        }
        threads(j.getParallelism(), p + ".parallelism", tMin, tMax);
        Map<String, RecordSchema.FieldType> f = new LinkedHashMap<>();
        f.put("key", j.getLeftKey() == null ? RecordSchema.FieldType.DYN : left.typeOf(j.getLeftKey()));
        f.put("window_start", RecordSchema.FieldType.INT);
        f.put("window_end", RecordSchema.FieldType.INT);
        f.put("left", RecordSchema.FieldType.MAP);
        f.put("right", RecordSchema.FieldType.MAP);
        return RecordSchema.of(f);
    }

    /** A band or theta join: exactly one condition, a time bound, no keys or windows; output {left, right}. */
    private RecordSchema thetaJoin(JoinSpec j, RecordSchema left, RecordSchema right, String p, int tMin, int tMax) {
        if (j.getBand() != null && j.getPredicate() != null) {
            err(p + ".predicate", "set band or predicate, not both");
        }
        for (String f : new String[] {"leftKey", "rightKey", "size", "slide"}) {
            Object v = switch (f) {
                case "leftKey" -> j.getLeftKey();
                case "rightKey" -> j.getRightKey();
                case "size" -> j.getSize();
                default -> j.getSlide();
            };
            if (v != null) {
                err(p + "." + f, "a " + (j.getBand() != null ? "band" : "theta") + " join has no keys or windows; "
                        + "it pairs records at most 'within' apart");
            }
        }
        if (j.getWithin() == null) {
            err(p + ".within", "required for a " + (j.getBand() != null ? "band" : "theta")
                    + " join: how far apart in event time two matching records may be, e.g. 1s");
        } else if (Durations.isValid(j.getWithin()) && Durations.parse(j.getWithin()).isNegative()) {
            err(p + ".within", "must be >= 0");
        }
        if (j.getBand() != null) {
            BandSpec b = j.getBand();
            field(b.getLeft(), left, p + ".band.left", true);
            field(b.getRight(), right, p + ".band.right", true);
            if (b.getWidth() == null) {
                err(p + ".band.width", "required");
            } else if (!(b.getWidth() >= 0) || b.getWidth().isInfinite()) {
                err(p + ".band.width", "must be a finite number >= 0");
            }
        } else if (j.getPredicate() != null) {
            Map<String, RecordSchema.FieldType> vars = new LinkedHashMap<>();
            vars.put("left", RecordSchema.FieldType.MAP);
            vars.put("right", RecordSchema.FieldType.MAP);
            Expression.Compiled c = Expression.compile(j.getPredicate(), RecordSchema.of(vars), RecordSchema.FieldType.BOOL);
            if (!c.ok()) {
                err(p + ".predicate", c.error());
            } else {
                predicateFields(c.expression(), "left", left, p + ".predicate");
                predicateFields(c.expression(), "right", right, p + ".predicate");
            }
        }
        threads(j.getParallelism(), p + ".parallelism", tMin, tMax);
        Map<String, RecordSchema.FieldType> f = new LinkedHashMap<>();
        f.put("left", RecordSchema.FieldType.MAP);
        f.put("right", RecordSchema.FieldType.MAP);
        return RecordSchema.of(f);
    }

    /** Every {@code side.field} a predicate reads must be a field of that side's records (when they are known). */
    private void predicateFields(Expression e, String side, RecordSchema in, String p) {
        if (in.isOpen()) {
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b" + side + "\\.([A-Za-z_][A-Za-z0-9_]*)")
                .matcher(e.source());
        while (m.find()) {
            if (!in.has(m.group(1))) {
                err(p, "'" + side + "." + m.group(1) + "': unknown field '" + m.group(1) + "'; the " + side
                        + " records have " + in.fields().keySet());
            }
        }
    }

    private void threads(Integer n, String p, int tMin, int tMax) {
        if (n != null && (n < tMin || n > tMax)) {
            err(p, "must be within parallelism.threads [" + tMin + ", " + tMax + "], was " + n);
        }
    }

    private void field(String name, RecordSchema in, String p, boolean numeric) {
        if (name == null) {
            err(p, "required");
            return;
        }
        if (!in.has(name)) {
            err(p, "unknown field '" + name + "'; the records here have " + in.fields().keySet());
            return;
        }
        RecordSchema.FieldType t = in.typeOf(name);
        if (numeric && t != RecordSchema.FieldType.INT && t != RecordSchema.FieldType.DOUBLE && t != RecordSchema.FieldType.DYN) {
            err(p, "field '" + name + "' is " + t.name().toLowerCase() + "; it must be numeric");
        }
    }

    private void sinkSpec(SinkSpec s, String p) {
        if (s.getFile() != null && s.getFile().getPath() == null) {
            err(p + ".file.path", "required");
        }
        if (s.getKafka() != null) {
            KafkaSinkSpec k = s.getKafka();
            if (k.getTopic() == null || k.getTopic().isBlank()) {
                err(p + ".kafka.topic", "required");
            }
            kafkaFormat(k.getKey(), p + ".kafka.key", true);
            kafkaFormat(k.getValue(), p + ".kafka.value", true);
            if (k.getCommitInterval() != null) {
                positive(k.getCommitInterval(), p + ".kafka.commitInterval");
            }
        }
    }

    private Duration positive(String d, String p) {
        if (d == null || !Durations.isValid(d)) {
            return null; // missing is reported where required; malformed by the pattern rule
        }
        Duration v = Durations.parse(d);
        if (v.isZero() || v.isNegative()) {
            err(p, "must be > 0");
            return null;
        }
        return v;
    }

    private void nonNegative(String d, String p) {
        if (d != null && Durations.isValid(d) && Durations.parse(d).isNegative()) {
            err(p, "must be >= 0");
        }
    }

    private void err(String path, String message) {
        FieldError e = new FieldError(path, message);
        if (!errors.contains(e)) {
            errors.add(e);
        }
    }
}
