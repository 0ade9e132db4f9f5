package dev.stretch.api;

import java.util.List;

/**
 * A job written in Java, run by {@code stretch run} / {@code stretch pod} from a StreamJob whose spec names
 * the class ({@code spec.application.className}) and its arguments, like a Flink job jar's main class.
 * The runtime creates the environment (with the job's engine settings), calls {@link #define}, then starts
 * the job. The class needs a public no-argument constructor.
 */
public interface StreamApplication {
    /** Adds the job's sources, operators and sinks to {@code env}. */
    void define(StreamEnvironment env, List<String> args) throws Exception;
}
