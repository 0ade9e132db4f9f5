package dev.stretch.runtime.cli;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code stretch} command run as its own process, as a user runs it: a JVM of its own (so its signal
 * handlers, exit code and output are the real ones), standard output and error captured to files.
 */
public final class StretchProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;

    private StretchProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    public static StretchProcess start(Path dir, String... args) {
        return start(dir, java.util.Map.of(), args);
    }

    /** Starts {@code stretch args} with {@code env} added to this process's environment. */
    public static StretchProcess start(Path dir, java.util.Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(StretchMain.class.getName());
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        try {
            ProcessBuilder b = new ProcessBuilder(cmd);
            b.environment().putAll(env);
            Process p = b.directory(dir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            return new StretchProcess(p, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs to the end (at most {@code timeout}) and returns the exit code. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("stretch did not end within " + timeout + "; stdout:\n" + stdout() + "\nstderr:\n"
                    + stderr());
        }
        return process.exitValue();
    }

    /** Waits until standard output contains {@code text}. */
    public void awaitOutput(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> stdout().contains(text)
                || !process.isAlive());
        if (!stdout().contains(text)) {
            throw new AssertionError("stretch ended without printing '" + text + "'; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
    }

    /** Sends a signal by name (INT, TERM), as a terminal or Kubernetes would. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
