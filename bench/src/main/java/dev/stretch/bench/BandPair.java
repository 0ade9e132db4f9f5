package dev.stretch.bench;

/** A band-join output: the later event's timestamp, and the keys and values of the A and B events paired. */
public record BandPair(long ts, long aKey, long bKey, long a, long b) {
    long checksum() {
        return Checksums.ofBand(ts, aKey, bKey, a, b);
    }
}
