package dev.stretch.engine.plan;

import dev.stretch.api.KeySelector;
import dev.stretch.api.LongKeySelector;
import dev.stretch.api.LongMultiKeySelector;
import dev.stretch.api.MultiKeySelector;

/**
 * How a keyed operator's input is keyed: one key per element (a primitive long key or an object key), or
 * several keys per element (multi-key: the element contributes to each of them). Exactly one selector is set.
 */
public record KeySpec(LongKeySelector<Object> longSelector, KeySelector<Object, Object> objectSelector,
        LongMultiKeySelector<Object> longMultiSelector, MultiKeySelector<Object, Object> objectMultiSelector) {
    @SuppressWarnings("unchecked")
    public static KeySpec ofLong(LongKeySelector<?> s) {
        return new KeySpec((LongKeySelector<Object>) s, null, null, null);
    }

    @SuppressWarnings("unchecked")
    public static KeySpec ofObject(KeySelector<?, ?> s) {
        return new KeySpec(null, (KeySelector<Object, Object>) s, null, null);
    }

    @SuppressWarnings("unchecked")
    public static KeySpec ofLongMulti(LongMultiKeySelector<?> s) {
        return new KeySpec(null, null, (LongMultiKeySelector<Object>) s, null);
    }

    @SuppressWarnings("unchecked")
    public static KeySpec ofObjectMulti(MultiKeySelector<?, ?> s) {
        return new KeySpec(null, null, null, (MultiKeySelector<Object, Object>) s);
    }

    /** No key: an input of a non-keyed operator (a theta join's sides). */
    public static KeySpec none() {
        return new KeySpec(null, null, null, null);
    }

    /** Whether keys are primitive longs (single or multi). */
    public boolean isLong() {
        return longSelector != null || longMultiSelector != null;
    }

    /** Whether an element may have several keys. */
    public boolean isMulti() {
        return longMultiSelector != null || objectMultiSelector != null;
    }
}
