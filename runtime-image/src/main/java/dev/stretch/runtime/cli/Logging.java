package dev.stretch.runtime.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line log records on standard error: {@code 2026-11-26T14:03:01Z WARNING message}. The message says what
 * happened in the job's words; stack traces are for developers and appear only with {@code STRETCH_DEBUG=1}.
 */
final class Logging {
    private static final boolean DEBUG = System.getenv("STRETCH_DEBUG") != null
            && !System.getenv("STRETCH_DEBUG").isBlank() && !System.getenv("STRETCH_DEBUG").equals("0");

    private Logging() {
    }

    static void configure() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        ConsoleHandler h = new ConsoleHandler();
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                StringBuilder b = new StringBuilder().append(r.getInstant().toString(), 0, 19).append("Z ")
                        .append(r.getLevel().getName()).append(' ').append(formatMessage(r)).append('\n');
                if (r.getThrown() != null && DEBUG) {
                    java.io.StringWriter sw = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                    b.append(sw);
                }
                return b.toString();
            }
        });
        h.setLevel(Level.INFO);
        root.addHandler(h);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.prometheus").setLevel(Level.WARNING);
    }
}
