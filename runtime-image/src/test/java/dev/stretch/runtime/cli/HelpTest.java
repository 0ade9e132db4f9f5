package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help} works on the command and on every subcommand, with or without its required arguments. */
class HelpTest {
    @ParameterizedTest(name = "stretch {0} --help")
    @ValueSource(strings = {"run", "validate", "pod", ""})
    void shouldPrintUsageAndExitZero(String subcommand) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        int code;
        try {
            code = subcommand.isEmpty() ? StretchMain.run("--help") : StretchMain.run(subcommand, "--help");
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        assertThat(text).startsWith("Usage: stretch" + (subcommand.isEmpty() ? "" : " " + subcommand))
                .doesNotContain("Missing required");
    }
}
