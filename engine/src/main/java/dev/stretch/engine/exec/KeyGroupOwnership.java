package dev.stretch.engine.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which instance owns each key group: an immutable map from key group to instance index.
 *
 * <p>Balanced: every instance owns {@code floor(G/n)} or {@code ceil(G/n)} key groups. A change of
 * instance count ({@link #rebalance}) moves as few key groups as any balanced assignment can: an instance
 * keeps as many of its key groups as its new quota allows, the larger quotas go to the instances that
 * already hold the most, and only the surplus and the key groups of removed instances move.
 */
public final class KeyGroupOwnership {
    private final short[] owner;
    private final int instances;

    private KeyGroupOwnership(short[] owner, int instances) {
        this.owner = owner;
        this.instances = instances;
    }

    /** Contiguous ranges, as Flink assigns key groups: key group g goes to instance {@code g * n / G}. */
    public static KeyGroupOwnership initial(int keyGroups, int instances) {
        check(keyGroups, instances);
        short[] o = new short[keyGroups];
        for (int g = 0; g < keyGroups; g++) {
            o[g] = (short) ((long) g * instances / keyGroups);
        }
        return new KeyGroupOwnership(o, instances);
    }

    public int keyGroups() {
        return owner.length;
    }

    public int instances() {
        return instances;
    }

    public int ownerOf(int keyGroup) {
        return owner[keyGroup];
    }

    /** The key groups of an instance, ascending. */
    public int[] keyGroupsOf(int instance) {
        int n = 0;
        for (short s : owner) {
            if (s == instance) {
                n++;
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int g = 0; g < owner.length; g++) {
            if (owner[g] == instance) {
                out[k++] = g;
            }
        }
        return out;
    }

    /** 1 for each key group the instance owns, else 0: a byte, so that a scan can add it rather than branch on it. */
    public byte[] maskOf(int instance) {
        byte[] m = new byte[owner.length];
        for (int g = 0; g < owner.length; g++) {
            m[g] = (byte) (owner[g] == instance ? 1 : 0);
        }
        return m;
    }

    /** The number of key groups whose owner differs from {@code other}. */
    public int movedFrom(KeyGroupOwnership other) {
        int moved = 0;
        for (int g = 0; g < owner.length; g++) {
            if (owner[g] != other.owner[g]) {
                moved++;
            }
        }
        return moved;
    }

    /** A balanced assignment over {@code n} instances that moves as few key groups as possible. */
    public KeyGroupOwnership rebalance(int n) {
        int keyGroups = owner.length;
        check(keyGroups, n);
        if (n == instances) {
            return this;
        }
        int[] count = new int[Math.max(n, instances)];
        for (short s : owner) {
            count[s]++;
        }
        int base = keyGroups / n;
        int extra = keyGroups % n;
        // the 'extra' larger quotas go to the surviving instances holding the most (ties: lower index)
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
        int[] quota = new int[n];
        for (int r = 0; r < n; r++) {
            quota[order[r]] = base + (r < extra ? 1 : 0);
        }
        short[] next = new short[keyGroups];
        int[] kept = new int[n];
        List<Integer> free = new ArrayList<>();
        for (int g = 0; g < keyGroups; g++) {
            int o = owner[g];
            if (o < n && kept[o] < quota[o]) {
                next[g] = (short) o;
                kept[o]++;
            } else {
                free.add(g);
            }
        }
        int fi = 0;
        for (int i = 0; i < n; i++) {
            while (kept[i] < quota[i]) {
                next[free.get(fi++)] = (short) i;
                kept[i]++;
            }
        }
        return new KeyGroupOwnership(next, n);
    }

    private static void check(int keyGroups, int instances) {
        if (instances < 1 || instances > keyGroups) {
            throw new IllegalArgumentException("instances must be in [1, " + keyGroups + "], was " + instances);
        }
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("KeyGroupOwnership[n=").append(instances);
        for (int i = 0; i < instances; i++) {
            b.append(", ").append(i).append(':').append(keyGroupsOf(i).length);
        }
        return b.append(']').toString();
    }
}
