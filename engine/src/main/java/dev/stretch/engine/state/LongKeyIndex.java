package dev.stretch.engine.state;

import dev.stretch.engine.esg.TupleBatch;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.util.Arrays;

/** {@link KeyIndex} over primitive long keys: an open-addressing table, no boxing. */
public final class LongKeyIndex extends KeyIndex {
    final Slots slots = new Slots();
    private long[] keys = new long[16];

    /**
     * fastutil's table with its arrays readable, for {@link KeyGroupState}'s look-up of a known key: the same
     * probe over the same arrays. The arrays are replaced only when a key is added or removed (growth or
     * shrinking); {@code clear} keeps them.
     */
    static final class Slots extends Long2IntOpenHashMap {
        Slots() {
            super(16);
        }

        long[] keyArray() {
            return key;
        }

        int[] valueArray() {
            return value;
        }

        int probeMask() {
            return mask;
        }

        /**
         * Stores {@code k -> v} at {@code pos}, where a probe for {@code k} (a key not in the table, not 0)
         * ended on an empty entry; grows the table as {@code put} would. fastutil's private {@code insert}.
         */
        boolean insertAt(int pos, long k, int v) {
            key[pos] = k;
            value[pos] = v;
            if (size++ >= maxFill) {
                rehash(it.unimi.dsi.fastutil.HashCommon.arraySize(size + 1, f));
                return true;
            }
            return false;
        }
    }

    /**
     * As {@link #slotOfKey} for a key known to be absent (not 0) whose probe ended on empty entry {@code pos};
     * returns the new slot, negated minus one if the table grew (its arrays were replaced).
     */
    int addAt(int pos, long k) {
        int n = size;
        boolean grew = slots.insertAt(pos, k, n);
        if (n == keys.length) {
            keys = Arrays.copyOf(keys, n * 2);
        }
        keys[n] = k;
        size = n + 1;
        justAdded = true;
        return grew ? -n - 1 : n;
    }

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
