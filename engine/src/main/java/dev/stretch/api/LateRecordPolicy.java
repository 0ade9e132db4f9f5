package dev.stretch.api;

/**
 * What a job does with a late record: one whose event time is at or below its source's watermark when it
 * arrives (see {@link WatermarkStrategy#forBoundedOutOfOrderness}). Either way it is counted per source.
 */
public enum LateRecordPolicy {
    /** Count it and leave it out (the default, as Flink does without a side output for late data). */
    DROP,
    /** Count it and send it to the dead-letter output, with how late it was (like Flink's late-data side output). */
    DEAD_LETTER
}
