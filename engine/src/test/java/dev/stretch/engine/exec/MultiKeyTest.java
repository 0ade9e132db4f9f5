package dev.stretch.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.ExecutionMode;
import dev.stretch.api.OperatorMetrics;
import dev.stretch.engine.testing.Event;
import dev.stretch.engine.testing.Jobs;
import dev.stretch.engine.testing.Workload;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Multi-key tuples cost what the two modes say they cost: in VSN mode an element is written once to the
 * operator's shared input, whatever its number of keys; in SN mode a copy per distinct key is routed to
 * the key's instance. Either way the operator adds it once per distinct key. (That the output is right and
 * identical at every parallelism, in both modes and under rescaling, is in the determinism and elasticity
 * suites, jobs {@code multi-key-count} and {@code multi-key-sliding}.)
 */
class MultiKeyTest {

    @Test
    void shouldWriteEachElementOnceInVsnModeAndOncePerKeyInSnMode() {
        Jobs.Input in = Jobs.input(3, Workload.Keys.UNIFORM, 300, 3000, 0, 0);
        List<Event> live = Jobs.live(in.left(), 0);
        long withKeys = live.stream().filter(e -> Jobs.longKeys(e).length > 0).count();
        long keyed = live.stream().mapToLong(e -> Arrays.stream(Jobs.longKeys(e)).distinct().count()).sum();
        assertThat(keyed).as("the workload has elements with several keys").isGreaterThan(2 * withKeys);

        Jobs.Result vsn = Jobs.run(in, new Jobs.Run("multi-key-count", ExecutionMode.VSN, 4), 3, e -> { });
        Jobs.Result sn = Jobs.run(in, new Jobs.Run("multi-key-count", ExecutionMode.SN, 4), 3, e -> { });

        OperatorMetrics vsnSource = vsn.execution().metrics().operator("left").orElseThrow();
        OperatorMetrics snSource = sn.execution().metrics().operator("left").orElseThrow();
        assertThat(vsnSource.tuplesOut()).as("VSN: written once per element").isEqualTo(withKeys);
        assertThat(snSource.tuplesOut()).as("SN: a copy per key").isEqualTo(keyed);
        assertThat(vsn.execution().metrics().operator("agg").orElseThrow().tuplesIn()).isEqualTo(keyed);
        assertThat(sn.execution().metrics().operator("agg").orElseThrow().tuplesIn()).isEqualTo(keyed);
        assertThat(vsn.lines()).isEqualTo(sn.lines());
    }
}
