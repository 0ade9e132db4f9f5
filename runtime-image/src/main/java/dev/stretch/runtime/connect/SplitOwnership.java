package dev.stretch.runtime.connect;

/**
 * Which records of a source's splits this process emits when several pods run the same job. Every pod
 * reads every split of a generator or file source and evaluates the same pure function on each record, so
 * exactly one pod emits it: the pods together emit what one pod alone would.
 */
@FunctionalInterface
public interface SplitOwnership {
    /** One process runs the whole job. */
    SplitOwnership ALL = (split, eventTime) -> true;

    /**
     * Whether this pod emits the record of split {@code split} (of the source's fixed split count) with
     * event time {@code eventTime}. Must be the same in every pod for the same arguments, once every pod
     * knows of the same pod-count changes.
     */
    boolean owns(int split, long eventTime);
}
