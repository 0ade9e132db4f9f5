package dev.stretch.api;

/** How the instances of a stateful operator share work. */
public enum ExecutionMode {
    /**
     * Virtual Shared-Nothing: instances share one input gate, the keyed state and one output gate; each
     * owns a set of key groups. Instance count changes in milliseconds without moving state.
     */
    VSN,
    /**
     * Shared-nothing: each instance has a private input queue and private state; upstream routes every
     * element to its key's instance. Fixed parallelism. Kept as the baseline VSN is measured against.
     */
    SN
}
