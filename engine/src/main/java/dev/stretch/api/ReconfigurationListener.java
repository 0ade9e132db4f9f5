package dev.stretch.api;

/** Told about every completed reconfiguration, on the thread that completed it. Must be quick. */
@FunctionalInterface
public interface ReconfigurationListener {
    void onReconfiguration(ReconfigurationResult result);
}
