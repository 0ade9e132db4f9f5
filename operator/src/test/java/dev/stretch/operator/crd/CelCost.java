package dev.stretch.operator.crd;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static cost estimate an API server computes for an {@code x-kubernetes-validations} rule: a port of cel-go's
 * {@code checker/cost.go} (the coster) with the size estimator of k8s.io/apiextensions-apiserver
 * ({@code schema/cel/compilation.go}: sizes of strings, lists and maps come from maxLength/maxItems/maxProperties, or
 * from the largest request when unbounded), over the checked AST of cel-java.
 *
 * <p>Only the standard library is modelled, as cel-go does: a call to a function it has no rule for costs 1 plus its
 * arguments, exactly as cel-go's default. The Kubernetes extension libraries (quantity, url, lists, regex find...) are
 * not available to rules compiled here, so a rule using one fails to compile in {@link CrdAdmission} instead of being
 * under-estimated. Presence tests ({@code has()}) cost 1, cel-go's default and the higher of its two settings.
 */
public final class CelCost {
    static final long SELECT_AND_IDENT = 1;
    static final long CONST = 0;
    static final long LIST_CREATE = 10;
    static final long MAP_CREATE = 30;
    static final long STRUCT_CREATE = 40;
    static final double STRING_TRAVERSAL = 0.1;
    static final double REGEX_STRING_LENGTH = 0.25;
    static final Estimate UNKNOWN = new Estimate(0, Long.MAX_VALUE);

    /** An inclusive [min, max] of a cost or a size, saturating at {@link Long#MAX_VALUE} (cel-go: uint64). */
    public record Estimate(long min, long max) {
        static Estimate fixed(long v) {
            return new Estimate(v, v);
        }

        Estimate add(Estimate o) {
            return new Estimate(sat(min, o.min), sat(max, o.max));
        }

        Estimate multiply(Estimate o) {
            return new Estimate(mul(min, o.min), mul(max, o.max));
        }

        Estimate factor(double f) {
            return new Estimate(mulF(min, f), mulF(max, f));
        }

        Estimate union(Estimate o) {
            return new Estimate(Math.min(min, o.min), Math.max(max, o.max));
        }

        private static long sat(long a, long b) {
            long r = a + b;
            return r < 0 || r < a ? Long.MAX_VALUE : r;
        }

        private static long mul(long a, long b) {
            if (a == 0 || b == 0) {
                return 0;
            }
            return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
        }

        private static long mulF(long a, double f) {
            double r = Math.ceil((double) a * f);
            return r >= (double) Long.MAX_VALUE ? Long.MAX_VALUE : (long) r;
        }
    }

    private record Entry(CelKind container, Estimate key, Estimate val) {
    }

    private record LocalVar(List<String> path, Estimate size, Entry entry) {
    }

    private final CelAbstractSyntaxTree ast;
    private final DeclType self;
    private final Map<Long, List<String>> paths = new HashMap<>();
    private final Map<Long, Estimate> sizes = new HashMap<>();
    private final Map<Long, Entry> entries = new HashMap<>();
    private final Map<String, Deque<LocalVar>> locals = new HashMap<>();

    private CelCost(CelAbstractSyntaxTree ast, DeclType self) {
        this.ast = ast;
        this.self = self;
    }

    /** The estimated cost range of a checked rule whose {@code self} has type {@code self}. */
    public static Estimate of(CelAbstractSyntaxTree checked, DeclType self) {
        return new CelCost(checked, self).cost(checked.getExpr());
    }

    private Estimate cost(CelExpr e) {
        return switch (e.getKind()) {
            case CONSTANT -> Estimate.fixed(CONST);
            case IDENT -> ident(e);
            case SELECT -> select(e);
            case CALL -> call(e);
            case LIST -> createList(e);
            case MAP -> createMap(e);
            case STRUCT -> createStruct(e);
            case COMPREHENSION -> isBind(e) ? bind(e) : comprehension(e);
            default -> Estimate.fixed(0);
        };
    }

    private Estimate ident(CelExpr e) {
        String name = e.ident().name();
        LocalVar v = peek(name);
        paths.put(e.id(), v != null ? v.path() : List.of(name));
        return Estimate.fixed(SELECT_AND_IDENT);
    }

    private Estimate select(CelExpr e) {
        CelExpr.CelSelect sel = e.select();
        Estimate sum = Estimate.fixed(0);
        if (sel.testOnly()) {
            return sum.add(Estimate.fixed(SELECT_AND_IDENT)).add(cost(sel.operand()));
        }
        sum = sum.add(cost(sel.operand()));
        CelKind k = type(sel.operand()).kind();
        if (k == CelKind.MAP || k == CelKind.STRUCT || k == CelKind.TYPE_PARAM) {
            sum = sum.add(Estimate.fixed(SELECT_AND_IDENT));
        }
        paths.put(e.id(), append(path(sel.operand()), sel.field()));
        return sum;
    }

    private Estimate call(CelExpr e) {
        CelExpr.CelCall call = e.call();
        if (call.function().equals("dyn") && call.args().size() == 1) {
            Estimate c = cost(call.args().get(0));
            copySize(e, call.args().get(0));
            return Estimate.fixed(1).add(c);
        }
        List<CelExpr> args = call.args();
        List<Estimate> argCosts = new ArrayList<>();
        for (CelExpr a : args) {
            argCosts.add(cost(a));
        }
        List<String> overloads = ast.getReference(e.id()).map(r -> (List<String>) r.overloadIds()).orElse(List.of());
        if (overloads.isEmpty()) {
            return Estimate.fixed(0);
        }
        Estimate sum = Estimate.fixed(0);
        CelExpr target = call.target().orElse(null);
        if (target != null) {
            sum = sum.add(cost(target));
        }
        Estimate fn = new Estimate(Long.MAX_VALUE, 0);
        Estimate resultSize = null;
        for (String overload : overloads) {
            Estimate[] result = new Estimate[1];
            Estimate oc = functionCost(e, overload, target, args, argCosts, result);
            fn = fn.union(oc);
            if (result[0] != null) {
                resultSize = resultSize == null ? result[0] : resultSize.union(result[0]);
            }
            if (overload.equals("index_list") && !args.isEmpty()) {
                Entry en = entry(args.get(0));
                resultSize = en == null ? null : en.val();
                paths.put(e.id(), append(path(args.get(0)), "@items"));
            } else if (overload.equals("index_map") && !args.isEmpty()) {
                Entry en = entry(args.get(0));
                resultSize = en == null ? null : en.val();
                paths.put(e.id(), append(path(args.get(0)), "@values"));
            }
            if (resultSize == null) {
                resultSize = size(e);
            }
        }
        if (resultSize != null) {
            sizes.put(e.id(), resultSize);
        }
        return sum.add(fn);
    }

    private Estimate functionCost(CelExpr e, String overload, CelExpr target, List<CelExpr> args,
            List<Estimate> argCosts, Estimate[] resultSize) {
        Estimate argSum = Estimate.fixed(0);
        for (Estimate a : argCosts) {
            argSum = argSum.add(a);
        }
        switch (overload) {
            case "string_to_bytes" -> {
                Estimate sz = sizeOrUnknown(args.get(0));
                resultSize[0] = new Estimate(sz.min(), Estimate.fixed(sz.max()).multiply(Estimate.fixed(4)).max());
                return sz.factor(STRING_TRAVERSAL).add(argSum);
            }
            case "bytes_to_string" -> {
                Estimate sz = sizeOrUnknown(args.get(0));
                resultSize[0] = new Estimate(sz.min() / 4, sz.max());
                return sz.factor(STRING_TRAVERSAL).add(argSum);
            }
            case "starts_with_string", "ends_with_string" -> {
                if (args.size() == 1) {
                    return sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL).add(argSum);
                }
            }
            case "in_list" -> {
                if (args.size() == 2) {
                    return sizeOrUnknown(args.get(1)).factor(1).add(argSum);
                }
            }
            case "matches_string" -> {
                if (target != null && args.size() == 1) {
                    Estimate str = sizeOrUnknown(target).add(Estimate.fixed(1)).factor(STRING_TRAVERSAL);
                    Estimate regex = sizeOrUnknown(args.get(0)).factor(REGEX_STRING_LENGTH);
                    return str.multiply(regex).add(argSum);
                }
            }
            case "contains_string" -> {
                if (target != null && args.size() == 1) {
                    Estimate str = sizeOrUnknown(target).factor(STRING_TRAVERSAL);
                    Estimate sub = sizeOrUnknown(args.get(0)).factor(STRING_TRAVERSAL);
                    return str.multiply(sub).add(argSum);
                }
            }
            case "logical_or", "logical_and" -> {
                Estimate lhs = argCosts.get(0);
                Estimate rhs = argCosts.get(1);
                return new Estimate(lhs.min(), lhs.add(rhs).max());
            }
            case "conditional" -> {
                Estimate size = sizeOrUnknown(args.get(1)).union(sizeOrUnknown(args.get(2)));
                Entry a = entry(args.get(1));
                Entry b = entry(args.get(2));
                if (a != null && b != null) {
                    entries.put(e.id(), new Entry(a.container(), a.key().union(b.key()), a.val().union(b.val())));
                }
                resultSize[0] = size;
                return argCosts.get(0).add(argCosts.get(1).union(argCosts.get(2)));
            }
            case "add_string", "add_bytes", "add_list" -> {
                if (args.size() == 2) {
                    Estimate size = sizeOrUnknown(args.get(0)).add(sizeOrUnknown(args.get(1)));
                    Entry a = entry(args.get(0));
                    Entry b = entry(args.get(1));
                    if (a != null && b != null) {
                        entries.put(e.id(), new Entry(a.container(), a.key().union(b.key()), a.val().union(b.val())));
                    }
                    resultSize[0] = size;
                    return overload.equals("add_list") ? Estimate.fixed(1).add(argSum)
                            : size.factor(STRING_TRAVERSAL).add(argSum);
                }
            }
            case "less_string", "greater_string", "less_equals_string", "greater_equals_string", "less_bytes",
                    "greater_bytes", "less_equals_bytes", "greater_equals_bytes", "equals", "not_equals" -> {
                Estimate l = sizeOrUnknown(args.get(0));
                Estimate r = sizeOrUnknown(args.get(1));
                long smallestMax = Math.min(l.max(), r.max());
                return new Estimate(smallestMax > 0 ? 1 : 0, smallestMax).factor(STRING_TRAVERSAL).add(argSum);
            }
            default -> {
            }
        }
        return Estimate.fixed(1).add(argSum);
    }

    private Estimate createList(CelExpr e) {
        List<CelExpr> elements = e.list().elements();
        Estimate sum = Estimate.fixed(0);
        Estimate item = new Estimate(elements.isEmpty() ? 0 : Long.MAX_VALUE, 0);
        for (CelExpr el : elements) {
            sum = sum.add(cost(el));
            item = item.union(sizeOrUnknown(el));
        }
        entries.put(e.id(), new Entry(CelKind.LIST, Estimate.fixed(1), item));
        return sum.add(Estimate.fixed(LIST_CREATE));
    }

    private Estimate createMap(CelExpr e) {
        List<CelExpr.CelMap.Entry> es = e.map().entries();
        Estimate sum = Estimate.fixed(0);
        Estimate key = new Estimate(es.isEmpty() ? 0 : Long.MAX_VALUE, 0);
        Estimate val = new Estimate(es.isEmpty() ? 0 : Long.MAX_VALUE, 0);
        for (CelExpr.CelMap.Entry en : es) {
            sum = sum.add(cost(en.key())).add(cost(en.value()));
            key = key.union(sizeOrUnknown(en.key()));
            val = val.union(sizeOrUnknown(en.value()));
        }
        entries.put(e.id(), new Entry(CelKind.MAP, key, val));
        return sum.add(Estimate.fixed(MAP_CREATE));
    }

    private Estimate createStruct(CelExpr e) {
        Estimate sum = Estimate.fixed(0);
        for (CelExpr.CelStruct.Entry en : e.struct().entries()) {
            sum = sum.add(cost(en.value()));
        }
        return sum.add(Estimate.fixed(STRUCT_CREATE));
    }

    private boolean isBind(CelExpr e) {
        CelExpr.CelComprehension c = e.comprehension();
        return c.iterRange().getKind() == CelExpr.ExprKind.Kind.LIST && c.iterRange().list().elements().isEmpty()
                && c.loopCondition().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && c.loopCondition().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                && !c.loopCondition().constant().booleanValue() && !isAccumulator(c.accuVar());
    }

    private Estimate bind(CelExpr e) {
        CelExpr.CelComprehension c = e.comprehension();
        Estimate sum = cost(c.iterRange()).add(cost(c.accuInit()));
        pushLocal(c.accuVar(), c.accuInit());
        sum = sum.add(cost(c.result()));
        pop(c.accuVar());
        copySize(e, c.result());
        return sum;
    }

    private Estimate comprehension(CelExpr e) {
        CelExpr.CelComprehension c = e.comprehension();
        Estimate sum = cost(c.iterRange()).add(cost(c.accuInit()));
        pushLocal(c.accuVar(), c.accuInit());
        boolean two = c.iterVar2() != null && !c.iterVar2().isEmpty();
        if (two) {
            pushIter(c.iterVar(), c.iterRange(), true);
            pushIter(c.iterVar2(), c.iterRange(), false);
        } else {
            pushIterSingle(c.iterVar(), c.iterRange());
        }
        Estimate loop = cost(c.loopCondition());
        Estimate step = cost(c.loopStep());
        pop(c.iterVar());
        if (two) {
            pop(c.iterVar2());
        }
        sum = sum.add(cost(c.result()));
        pop(c.accuVar());
        Estimate range = sizeOrUnknown(c.iterRange());
        sum = sum.add(range.multiply(step.add(loop)));
        switch (c.accuInit().getKind()) {
            case CONSTANT -> {
                Estimate s = size(c.accuInit());
                if (s != null) {
                    sizes.put(e.id(), s);
                }
            }
            case LIST, MAP -> {
                sizes.put(e.id(), range);
                Entry stepEntry = entry(c.loopStep());
                if (stepEntry != null) {
                    entries.put(e.id(), stepEntry);
                }
            }
            default -> {
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ sizes and paths

    private void pushLocal(String name, CelExpr e) {
        locals.computeIfAbsent(name, n -> new ArrayDeque<>()).push(new LocalVar(path(e), size(e), entry(e)));
    }

    private void pushIterSingle(String name, CelExpr range) {
        Entry en = entry(range);
        CelKind container = en != null ? en.container() : type(range).kind();
        boolean list = container == CelKind.LIST;
        Estimate size = en == null ? null : list ? en.val() : en.key();
        locals.computeIfAbsent(name, n -> new ArrayDeque<>())
                .push(new LocalVar(append(path(range), list ? "@items" : "@keys"), size, null));
    }

    private void pushIter(String name, CelExpr range, boolean key) {
        Entry en = entry(range);
        CelKind container = en != null ? en.container() : type(range).kind();
        boolean list = container == CelKind.LIST;
        String sub = key ? (list ? "@indices" : "@keys") : (list ? "@items" : "@values");
        Estimate size = en == null ? null : key ? en.key() : en.val();
        locals.computeIfAbsent(name, n -> new ArrayDeque<>()).push(new LocalVar(append(path(range), sub), size, null));
    }

    private void pop(String name) {
        Deque<LocalVar> d = locals.get(name);
        if (d != null && !d.isEmpty()) {
            d.pop();
        }
    }

    private LocalVar peek(String name) {
        Deque<LocalVar> d = locals.get(name);
        return d == null || d.isEmpty() ? null : d.peek();
    }

    private List<String> path(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            LocalVar v = peek(e.ident().name());
            if (v != null) {
                return v.path() == null ? List.of() : v.path();
            }
        }
        return paths.getOrDefault(e.id(), List.of());
    }

    private static List<String> append(List<String> path, String element) {
        List<String> p = new ArrayList<>(path);
        p.add(element);
        return p;
    }

    private CelType type(CelExpr e) {
        return ast.getType(e.id()).orElseThrow(() -> new IllegalStateException("unchecked expression " + e));
    }

    private void copySize(CelExpr dst, CelExpr src) {
        Estimate s = size(src);
        if (s != null) {
            sizes.put(dst.id(), s);
        }
        Entry en = entry(src);
        if (en != null) {
            entries.put(dst.id(), en);
        }
    }

    private Estimate sizeOrUnknown(CelExpr e) {
        Estimate s = size(e);
        return s == null ? UNKNOWN : s;
    }

    private Estimate size(CelExpr e) {
        Estimate known = sizes.get(e.id());
        if (known != null) {
            return known;
        }
        Estimate literal = exprSize(e);
        if (literal != null) {
            return literal;
        }
        Estimate schema = schemaSize(path(e));
        if (schema != null) {
            sizes.put(e.id(), schema);
            return schema;
        }
        CelKind k = type(e).kind();
        if (k == CelKind.BOOL || k == CelKind.DOUBLE || k == CelKind.DURATION || k == CelKind.INT
                || k == CelKind.TIMESTAMP || k == CelKind.UINT) {
            return Estimate.fixed(1);
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            LocalVar v = peek(e.ident().name());
            if (v != null && v.size() != null) {
                return v.size();
            }
        }
        return null;
    }

    private Entry entry(CelExpr e) {
        Entry en = entries.get(e.id());
        if (en != null) {
            return en;
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
            LocalVar v = peek(e.ident().name());
            if (v != null) {
                return v.entry();
            }
        }
        return null;
    }

    private static Estimate exprSize(CelExpr e) {
        switch (e.getKind()) {
            case CONSTANT -> {
                CelConstant c = e.constant();
                return switch (c.getKind()) {
                    case STRING_VALUE -> Estimate.fixed(c.stringValue().codePointCount(0, c.stringValue().length()));
                    case BYTES_VALUE -> Estimate.fixed(c.bytesValue().size());
                    case BOOLEAN_VALUE, DOUBLE_VALUE, INT64_VALUE, UINT64_VALUE, NULL_VALUE, DURATION_VALUE,
                            TIMESTAMP_VALUE -> Estimate.fixed(1);
                    default -> null;
                };
            }
            case LIST -> {
                return Estimate.fixed(e.list().elements().size());
            }
            case MAP -> {
                return Estimate.fixed(e.map().entries().size());
            }
            default -> {
                return null;
            }
        }
    }

    /** The Kubernetes size estimator: follows the path from {@code self} through the schema's types. */
    private Estimate schemaSize(List<String> path) {
        if (path.isEmpty() || !path.get(0).equals("self")) {
            return null;
        }
        DeclType node = self;
        for (String name : path.subList(1, path.size())) {
            switch (name) {
                case "@items", "@values" -> node = node.elem();
                case "@keys" -> node = node.kind() == DeclType.Kind.MAP ? DeclType.string(-1) : null;
                default -> {
                    DeclType.Field f = node.fields() == null ? null : node.fields().get(name);
                    node = f == null ? null : f.type();
                }
            }
            if (node == null) {
                return null;
            }
        }
        return new Estimate(0, node.maxElements());
    }

    private static boolean isAccumulator(String name) {
        return name.equals("__result__") || name.equals("@result") || name.equals("@__result__");
    }
}
