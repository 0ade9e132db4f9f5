package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/** {@link KeyIndex} over primitive long keys: an open-addressing table, no boxing. */
public final class LongKeyIndex extends KeyIndex {
    private final Long2IntOpenHashMap slots = new Long2IntOpenHashMap(16);
    private long[] keys = new long[16];

    public LongKeyIndex() {
        slots.defaultReturnValue(-1);
    }

    @Override
    public int slotOf(TupleBatch batch, int i) {
        return slotOfKey(batch.longKey[i]);
    }

    @Override
    public int slotOfMultiKey(TupleBatch batch, int j) {
        return slotOfKey(batch.multiLong[j]);
    }

    public int slotOfKey(long k) {
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
        return slotOfKey(((LongKeyIndex) other).keys[otherSlot]);
    }

    public long longKeyAt(int slot) {
        return keys[slot];
    }

    @Override
    public Object keyAt(int slot) {
        return keys[slot];
    }

    @Override
    public void removeLastAdded() {
        int n = size - 1;
        slots.remove(keys[n]);
        size = n;
        justAdded = false;
    }

    @Override
    public void clear() {
        if (size > 0) {
            slots.clear();
            size = 0;
        }
    }
}
