package dev.stretch.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stretch} command. */
@Command(name = "stretch", mixinStandardHelpOptions = true, version = "stretch 0.1.0",
        description = "Runs, validates and hosts STRETCH stream jobs (StreamJob documents).",
        subcommands = {RunCommand.class, ValidateCommand.class, PodCommand.class, CommandLine.HelpCommand.class})
public final class StretchMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        return new CommandLine(new StretchMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
