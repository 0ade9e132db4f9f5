package dev.stretch.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./stretch} script's first use, when it builds the runtime: the user sees one line about the
 * build and then the command's own output, never the build tool's escape codes; a failed build shows its
 * output and stops. Maven and Java are stand-ins on the PATH (the script's logic is under test, not Maven):
 * the Maven stand-in writes colour codes the way Maven does.
 */
class StretchScriptTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String output) {
    }

    private Outcome runScript(String mvnExit) throws IOException, InterruptedException {
        Path checkout = dir.resolve("checkout");
        Files.createDirectories(checkout.resolve("runtime-image/src/main/java"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.copy(Path.of("../stretch"), checkout.resolve("stretch"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        executable(bin.resolve("mvn"), """
                #!/usr/bin/env bash
                printf '\\033[1;34m[INFO]\\033[m Building\\033[0m\\n'
                printf '\\033[0m\\033[0m' >&2
                mkdir -p runtime-image/target && touch runtime-image/target/stretch.jar
                exit %s
                """.formatted(mvnExit));
        executable(bin.resolve("java"), "#!/usr/bin/env bash\necho \"the runtime ran: $*\"\n");
        ProcessBuilder pb = new ProcessBuilder("bash", checkout.resolve("stretch").toString(), "run", "job.yaml")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void shouldShowNoEscapeCodesFromTheBuildOnFirstUse() throws Exception {
        Outcome o = runScript("0");
        assertThat(o.code()).as(o.output()).isZero();
        assertThat(o.output()).doesNotContain("\u001b").startsWith("stretch: building the runtime")
                .contains("the runtime ran: -jar").endsWith("run job.yaml\n");
    }

    @Test
    void shouldShowTheBuildOutputWithoutEscapeCodesWhenTheBuildFails() throws Exception {
        Outcome o = runScript("1");
        assertThat(o.code()).isEqualTo(1);
        assertThat(o.output()).contains("stretch: the build failed", "[INFO] Building").doesNotContain("\u001b")
                .doesNotContain("the runtime ran");
    }
}
