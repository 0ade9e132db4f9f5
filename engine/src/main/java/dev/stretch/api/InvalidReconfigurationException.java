package dev.stretch.api;

/** A reconfiguration request that cannot be carried out; nothing was changed. */
public class InvalidReconfigurationException extends IllegalArgumentException {
    public InvalidReconfigurationException(String message) {
        super(message);
    }
}
