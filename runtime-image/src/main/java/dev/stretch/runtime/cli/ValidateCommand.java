package dev.stretch.runtime.cli;

import dev.stretch.model.Defaults;
import dev.stretch.model.PipelineStage;
import dev.stretch.model.StreamJobManifest;
import dev.stretch.model.StreamJobValidator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stretch validate FILE}: every error with its path (exit 1), or a one-line summary (exit 0). */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Checks a StreamJob file and reports every error with its path.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "StreamJob YAML file")
    Path file;

    @Override
    public Integer call() {
        JobFiles.Loaded l = JobFiles.load(file);
        if (!l.ok()) {
            JobFiles.printErrors(file, l.errors(), System.out);
            return 1;
        }
        System.out.println(summary(l.manifest()));
        return 0;
    }

    static String summary(StreamJobManifest m) {
        StringBuilder b = new StringBuilder("job '").append(m.name()).append("' is valid: ");
        if (m.getSpec().getApplication() != null) {
            b.append("application ").append(m.getSpec().getApplication().getClassName());
        } else {
            Map<String, Long> kinds = new LinkedHashMap<>();
            for (PipelineStage s : m.getSpec().getPipeline()) {
                kinds.merge(StreamJobValidator.kindOf(s), 1L, Long::sum);
            }
            b.append(m.getSpec().getPipeline().size()).append(" stages (")
                    .append(kinds.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")))
                    .append(")");
        }
        b.append(", ").append(Defaults.mode(m.getSpec()).wireName()).append(", threads ")
                .append(Defaults.threadsInitial(m.getSpec())).append(" [").append(Defaults.threadsMin(m.getSpec()))
                .append("..").append(Defaults.threadsMax(m.getSpec())).append("] per operator");
        return b.toString();
    }
}
