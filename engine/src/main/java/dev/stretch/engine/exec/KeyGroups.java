package dev.stretch.engine.exec;

/**
 * Key → key group. The key's 32-bit hash (for a long key, {@link Long#hashCode(long)}, the same as its
 * boxed form) is scrambled with MurmurHash3's finaliser, so that keys with regular hashes (consecutive
 * ids) still spread evenly, then mapped onto the operator's key groups by multiply-shift: the scrambled
 * hash as a fraction of 2^32 times the key-group count (its high bits pick the group). Uniform like a
 * modulo, but a multiplication instead of an integer division on the per-tuple path.
 */
public final class KeyGroups {
    private KeyGroups() {
    }

    public static int of(long key, int keyGroups) {
        return reduce(Long.hashCode(key), keyGroups);
    }

    public static int of(Object key, int keyGroups) {
        return reduce(key.hashCode(), keyGroups);
    }

    private static int reduce(int h, int keyGroups) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (int) (((h & 0xffffffffL) * keyGroups) >>> 32);
    }
}
