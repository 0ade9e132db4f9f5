package dev.stretch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What a user's code touches through a running job is the API package only: every type reachable from
 * {@link JobExecution}'s methods (return and parameter types, their type arguments, record components of
 * the API's own records, nested types) is a JDK type or a type of {@code dev.stretch.api}.
 */
class ApiSurfaceTest {

    @Test
    void shouldReachOnlyApiAndJdkTypesFromJobExecution() {
        Set<String> foreign = new TreeSet<>();
        Set<Class<?>> seen = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        todo.add(JobExecution.class);
        while (!todo.isEmpty()) {
            Class<?> c = todo.poll();
            if (!seen.add(c) || c.isPrimitive() || c.getName().startsWith("java.")) {
                continue;
            }
            if (c.isArray()) {
                todo.add(c.getComponentType());
                continue;
            }
            if (!c.getPackageName().equals("dev.stretch.api")) {
                foreign.add(c.getName());
                continue;
            }
            for (Method m : c.getMethods()) {
                if (m.getDeclaringClass() == Object.class) {
                    continue;
                }
                collect(m.getGenericReturnType(), todo);
                for (Type p : m.getGenericParameterTypes()) {
                    collect(p, todo);
                }
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    collect(rc.getGenericType(), todo);
                }
            }
            for (Class<?> n : c.getClasses()) {
                todo.add(n);
            }
        }
        assertThat(foreign).as("non-API types reachable from JobExecution").isEmpty();
        assertThat(seen).contains(JobMetrics.class, OperatorMetrics.class, InstanceMetrics.class,
                ReconfigurationListener.class);
    }

    private static void collect(Type t, Deque<Class<?>> todo) {
        if (t instanceof Class<?> c) {
            todo.add(c);
        } else if (t instanceof ParameterizedType p) {
            collect(p.getRawType(), todo);
            for (Type a : p.getActualTypeArguments()) {
                collect(a, todo);
            }
        } else if (t instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                collect(b, todo);
            }
        }
    }
}
