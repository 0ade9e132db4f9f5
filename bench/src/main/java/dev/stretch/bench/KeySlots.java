package dev.stretch.bench;

import java.util.Arrays;

/**
 * Open-addressing map from a {@code long} key to a dense slot number (0, 1, 2, … in order of first
 * sight), for the hand-written loops: state lives in primitive arrays indexed by slot. Linear probing,
 * load factor at most 1/2, no removal. This is what a careful programmer writes without assuming that
 * keys are small dense integers (a dense {@code long[keys]} would be faster still, but is not a general
 * keyed operator).
 */
final class KeySlots {
    private long[] keys;
    private int[] slots;
    private int mask;
    private int size;

    KeySlots(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[cap];
        slots = new int[cap];
        Arrays.fill(slots, -1);
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The key's slot, inserting it with the next free slot number if absent. */
    int slotOf(long key) {
        int i = spread(key) & mask;
        while (true) {
            int s = slots[i];
            if (s < 0) {
                slots[i] = size;
                keys[i] = key;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return size - 1;
            }
            if (keys[i] == key) {
                return s;
            }
            i = (i + 1) & mask;
        }
    }

    /** The key's slot, or -1. */
    int find(long key) {
        int i = spread(key) & mask;
        while (true) {
            int s = slots[i];
            if (s < 0 || keys[i] == key) {
                return s;
            }
            i = (i + 1) & mask;
        }
    }

    private static int spread(long key) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] ok = keys;
        int[] os = slots;
        keys = new long[ok.length * 2];
        slots = new int[ok.length * 2];
        Arrays.fill(slots, -1);
        mask = keys.length - 1;
        for (int i = 0; i < ok.length; i++) {
            if (os[i] >= 0) {
                int j = spread(ok[i]) & mask;
                while (slots[j] >= 0) {
                    j = (j + 1) & mask;
                }
                slots[j] = os[i];
                keys[j] = ok[i];
            }
        }
    }
}
