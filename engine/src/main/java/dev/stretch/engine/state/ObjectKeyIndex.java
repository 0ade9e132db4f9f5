package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;
import it.unimi.dsi.fastutil.objects.Object2IntOpenHashMap;
import java.util.Arrays;

/** {@link KeyIndex} over object keys ({@code equals}/{@code hashCode}). */
public final class ObjectKeyIndex extends KeyIndex {
    private final Object2IntOpenHashMap<Object> slots = new Object2IntOpenHashMap<>(16);
    private Object[] keys = new Object[16];

    public ObjectKeyIndex() {
        slots.defaultReturnValue(-1);
    }

    @Override
    public int slotOf(TupleBatch batch, int i) {
        return slotOfKey(batch.key[i]);
    }

    @Override
    public int slotOfMultiKey(TupleBatch batch, int j) {
        return slotOfKey(batch.multiKey[j]);
    }

    public int slotOfKey(Object k) {
        int n = size;
        int s = slots.putIfAbsent(k, n);
        if (s >= 0) {
            justAdded = false;
            return s;
        }
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
        }
        keys[n] = k;
        size = n + 1;
        justAdded = true;
        return n;
    }

    @Override
    public int slotOfKeyIn(KeyIndex other, int otherSlot) {
        return slotOfKey(((ObjectKeyIndex) other).keys[otherSlot]);
    }

    @Override
    public Object keyAt(int slot) {
        return keys[slot];
    }

    @Override
    public void removeLastAdded() {
        int n = size - 1;
        slots.remove(keys[n]);
        keys[n] = null;
        size = n;
        justAdded = false;
    }

    @Override
    public void clear() {
        if (size > 0) {
            slots.clear();
            Arrays.fill(keys, 0, size, null);
            size = 0;
        }
    }
}
