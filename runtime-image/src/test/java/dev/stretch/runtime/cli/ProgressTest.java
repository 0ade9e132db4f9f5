package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.JobExecution;
import dev.stretch.engine.metrics.MetricsSampler.OperatorRates;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live table of {@code stretch run}, as a terminal shows it. */
class ProgressTest {
    private static final JobExecution RUNNING = (JobExecution) Proxy.newProxyInstance(
            JobExecution.class.getClassLoader(), new Class<?>[] {JobExecution.class},
            (proxy, method, args) -> method.getName().equals("status") ? JobExecution.Status.RUNNING : null);

    private static OperatorRates rates(String name, String kind, double in, double out, double busy) {
        return new OperatorRates(name, kind, 2, in, out, busy, 40, 12, 0, 0, 0, 0);
    }

    @Test
    void shouldShowChainedOperatorsWithTheirOwnRatesUnderTheirProducer() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, "j", 1);

        progress.show(List.of(rates("src", "source", 50_000, 50_000, 0.2), rates("eu-only", "chained", 50_000, 12_500, 0),
                rates("counts", "window", 12_500, 300, 0.5)), RUNNING);

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(3)).startsWith("└ eu-only").contains("chained").contains("50.0k").contains("12.5k");
        assertThat(lines.get(3).split("\\s+")).as("busy, backlog and lag are its producer's").endsWith("-", "-", "-");
        assertThat(lines.get(4)).startsWith("counts").contains("50%").contains("12ms");
    }
}
