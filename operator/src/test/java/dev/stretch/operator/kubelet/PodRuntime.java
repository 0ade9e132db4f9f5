package dev.stretch.operator.kubelet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the test kubelet runs for a pod whose container command is {@code stretch ...}: the runtime's real
 * launcher jar (default), the in-test contract stub, or nothing.
 *
 * <p>Chosen with {@code -Dstretch.kubelet.runtime=jar|stub|none} (default {@code jar}); the jar is
 * {@code -Dstretch.runtime.jar} or {@code <repo>/runtime-image/target/stretch.jar}. When the jar is missing the
 * kubelet runs no process at all and says so: pods still become Ready (so the operator's object handling is tested),
 * and tests that need real processes skip themselves through {@link #available()}.
 */
public final class PodRuntime {
    public static final String JAR_PATH = "runtime-image/target/stretch.jar";

    private final String kind;
    private final Path jar;
    private final String unavailableReason;

    private PodRuntime(String kind, Path jar, String unavailableReason) {
        this.kind = kind;
        this.jar = jar;
        this.unavailableReason = unavailableReason;
    }

    public static PodRuntime fromSystemProperties() {
        String kind = System.getProperty("stretch.kubelet.runtime", "jar");
        switch (kind) {
            case "stub":
                return new PodRuntime("stub", null, null);
            case "none":
                return new PodRuntime("none", null, "-Dstretch.kubelet.runtime=none: the kubelet runs no process");
            default:
                Path jar = System.getProperty("stretch.runtime.jar") != null
                        ? Path.of(System.getProperty("stretch.runtime.jar"))
                        : repositoryRoot().resolve(JAR_PATH);
                if (!Files.isRegularFile(jar)) {
                    return new PodRuntime("none", null, jar + " does not exist, so the test kubelet starts no"
                            + " `stretch pod` process (pods become Ready without one). Build the runtime first"
                            + " (mvn -pl runtime-image -am package), or run with -Dstretch.kubelet.runtime=stub");
                }
                return new PodRuntime("jar", jar.toAbsolutePath(), null);
        }
    }

    /** The repository root: the operator module's parent (Surefire runs tests in the module directory). */
    public static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return here.getFileName() != null && here.getFileName().toString().equals("operator") ? here.getParent() : here;
    }

    /** Whether pods get a real process; tests that need one assume this. */
    public boolean available() {
        return unavailableReason == null;
    }

    public String unavailableReason() {
        return unavailableReason;
    }

    public String describe() {
        return switch (kind) {
            case "jar" -> "java -jar " + jar;
            case "stub" -> "the in-test contract stub " + StubStretchPod.class.getName();
            default -> "no process (" + unavailableReason + ")";
        };
    }

    /**
     * The host command for {@code stretch ARGS} outside any pod (e.g. a reference {@code stretch run} of the same
     * job), with this runtime's jar; only for the {@code jar} runtime.
     */
    public List<String> stretch(List<String> args) {
        if (!kind.equals("jar")) {
            throw new IllegalStateException("stretch " + args + " needs the jar runtime, not " + describe());
        }
        return command(List.of(), args);
    }

    /** The host command for a container's {@code command + args}, where the image's {@code stretch} is this runtime. */
    List<String> command(List<String> containerCommand, List<String> containerArgs) {
        List<String> argv = new ArrayList<>();
        // no command: the image's entrypoint, which is the stretch launcher
        argv.addAll(containerCommand == null || containerCommand.isEmpty() ? List.of("stretch") : containerCommand);
        argv.addAll(containerArgs == null ? List.of() : containerArgs);
        if (argv.isEmpty() || !argv.get(0).equals("stretch")) {
            throw new IllegalArgumentException("the test kubelet only runs the stretch launcher, not " + argv);
        }
        List<String> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        out.add("-Xmx192m");
        out.add("-XX:+UseSerialGC");
        out.add("-XX:TieredStopAtLevel=1");
        if (kind.equals("jar")) {
            out.add("-jar");
            out.add(jar.toString());
        } else {
            out.add("-cp");
            out.add(System.getProperty("java.class.path"));
            out.add(StubStretchPod.class.getName());
        }
        out.addAll(argv.subList(1, argv.size()));
        return out;
    }
}
