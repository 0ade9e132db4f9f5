package dev.stretch.runtime.http;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs the official {@code promtool check metrics} (Debian package {@code prometheus}) over a page of
 * metrics: it parses the text format and lints names, types and suffixes.
 */
final class Promtool {
    /** Exit code and combined output of one check. */
    record Check(int exitCode, String output) {
    }

    private Promtool() {
    }

    static Check checkMetrics(String page) throws IOException, InterruptedException {
        Path promtool = locate();
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(page.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics did not finish in 30 s");
        }
        return new Check(p.exitValue(), output);
    }

    private static Path locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("promtool is not on the PATH (" + path + "); the metrics format is checked with the "
                + "official tool: install it with `apt-get install -y --no-install-recommends prometheus`");
    }
}
