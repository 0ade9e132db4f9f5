package dev.stretch.engine.plan;

import dev.stretch.api.KeySelector;
import dev.stretch.api.LongKeySelector;

/** How a keyed operator's input is keyed: a primitive long key or an object key. */
public record KeySpec(LongKeySelector<Object> longSelector, KeySelector<Object, Object> objectSelector) {
    @SuppressWarnings("unchecked")
    public static KeySpec ofLong(LongKeySelector<?> s) {
        return new KeySpec((LongKeySelector<Object>) s, null);
    }

    @SuppressWarnings("unchecked")
    public static KeySpec ofObject(KeySelector<?, ?> s) {
        return new KeySpec(null, (KeySelector<Object, Object>) s);
    }

    public boolean isLong() {
        return longSelector != null;
    }
}
