package dev.stretch.runtime.cli;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C (SIGINT) and SIGTERM for {@code stretch run}: the first one asks the run to stop, so that it can
 * print its summary and exit with a code that says which signal ended it; a second Ctrl-C exits at once.
 * Without these handlers the JVM would start its shutdown at the signal and could cut the summary short.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK since 9); where it is not
 * available, the run's shutdown hook still waits for the summary.
 */
final class Signals {
    private Signals() {
    }

    static void onInterrupt(Runnable sigint, Runnable sigterm) {
        AtomicBoolean interrupted = new AtomicBoolean();
        install("INT", () -> {
            if (interrupted.getAndSet(true)) {
                System.err.println("\nstopping at once (second Ctrl-C)");
                Runtime.getRuntime().halt(RunCommand.EXIT_SIGINT);
            }
            System.err.println("\nstopping (Ctrl-C again to exit at once)...");
            sigint.run();
        });
        install("TERM", sigterm);
    }

    @SuppressWarnings("removal") // sun.misc.Signal is the JDK's only handle on signals; jdk.unsupported keeps it
    private static void install(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // the JVM reserves the signal (e.g. -Xrs): the shutdown hook covers it
        }
    }
}
