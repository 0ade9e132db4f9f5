package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one {@link ContenderRun} in a fresh JVM ({@code java -cp}, the suite's flags), so JIT and GC
 * state never leak from one contender to the next, and returns its result line. The child's full output
 * is appended to a log file.
 */
final class ContenderProcess {
    private final String java;
    private final List<String> jvmFlags;
    private final String classpath;
    private final Path log;
    private final long timeoutSeconds;

    ContenderProcess(String java, List<String> jvmFlags, String classpath, Path log, long timeoutSeconds) {
        this.java = java;
        this.jvmFlags = jvmFlags;
        this.classpath = classpath;
        this.log = log;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** The result, or a node with {@code "error"} when the child failed, mismatched itself or timed out. */
    ObjectNode run(List<String> extraJvmFlags, List<String> args, ObjectMapper om) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.addAll(extraJvmFlags);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ContenderRun.class.getName());
        cmd.addAll(args);
        Files.writeString(log, "\n$ " + String.join(" ", cmd.subList(0, cmd.size())).replace(classpath, "$CP") + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-output");
        reader.start();
        boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
            p.waitFor();
        }
        reader.join(5000);
        String text;
        synchronized (out) {
            text = out.toString();
        }
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT ")) {
                return (ObjectNode) om.readTree(line.substring(7));
            }
        }
        ObjectNode err = om.createObjectNode();
        String reason = !done ? "timed out after " + timeoutSeconds + " s"
                : "exit " + p.exitValue() + ": " + lastLines(text, 6);
        err.put("error", reason);
        return err;
    }

    private static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, lines.length - n); i < lines.length; i++) {
            sb.append(lines[i].strip()).append(" | ");
        }
        return sb.toString();
    }
}
