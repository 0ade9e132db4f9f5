package dev.stretch.engine.esg;

/**
 * Who is in an {@link ElasticScaleGate} at one moment, for diagnosis and for checking that membership
 * follows the parallelism: after a reconfiguration settles, a gate holds one open writer per upstream
 * producer (split or instance) and one reader per consuming instance, and no closed writer.
 *
 * @param gate the gate's name (its consuming operator, with {@code #i} for SN instance {@code i})
 * @param openWriters writers that may still publish
 * @param closedWriters writers that have ended but are still members (readers have not drained them yet)
 * @param readers readers
 */
public record GateMembership(String gate, int openWriters, int closedWriters, int readers) {
}
