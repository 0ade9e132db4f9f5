package dev.stretch.runtime.http;

import static org.assertj.core.api.Assertions.fail;

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

    /**
     * promtool from the PATH, or fetched by {@code scripts/debian-tool.sh} (Debian package {@code prometheus},
     * unpacked into a cache directory without root), so the test passes on a fresh machine by itself.
     */
    private static Path locate() throws IOException, InterruptedException {
        Path script = repositoryRoot().resolve("scripts/debian-tool.sh");
        Process p = new ProcessBuilder(script.toString(), "prometheus", "promtool").redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
            return fail("promtool is neither on the PATH nor could " + script + " fetch it (exit "
                    + (p.isAlive() ? "timeout" : p.exitValue()) + "); see the output above");
        }
        return Path.of(out);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("scripts/debian-tool.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return fail("scripts/debian-tool.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
