package dev.stretch.engine.exec;

import dev.stretch.engine.esg.ElasticScaleGate;
import dev.stretch.engine.esg.EsgWriter;
import java.util.List;

/** The receiving side of a stage: gives producers writers into its gate(s). */
interface InputPort {
    /**
     * Writers for one new producer (a split or an operator instance) on input {@code side}, whose first
     * tuple will be above {@code startProgress}. One writer in VSN mode; one per instance in SN mode.
     */
    EsgWriter[] addWriters(int side, long startProgress);

    /** For SN mode: key group → index into the writers; {@code null} when there is one writer. */
    short[] route();

    /** The input gates (one, or one per instance in SN mode). */
    List<ElasticScaleGate> inputGates();
}
