package dev.stretch.engine.state;

import dev.stretch.api.Windows;

/**
 * Arithmetic of epoch-aligned windows over panes. A pane is {@code gcd(size, slide)} long; window
 * {@code [s, s + size)} exists for every {@code s} that is a multiple of {@code slide} and covers
 * {@code size / pane} consecutive panes.
 */
public final class WindowGeometry {
    public final long size;
    public final long slide;
    public final long pane;
    public final int panesPerWindow;

    public WindowGeometry(Windows w) {
        this.size = w.sizeMillis();
        this.slide = w.slideMillis();
        this.pane = w.paneMillis();
        long k = size / pane;
        if (k > 100_000) {
            throw new IllegalArgumentException("window size " + size + " ms over slide " + slide
                    + " ms gives " + k + " panes per window; at most 100000 are supported");
        }
        this.panesPerWindow = (int) k;
    }

    public long paneOf(long ts) {
        return Math.floorDiv(ts, pane);
    }

    /** End of the earliest window that contains pane {@code p}. */
    public long firstEndContainingPane(long p) {
        long ps = p * pane;
        return (Math.floorDiv(ps - size, slide) + 1) * slide + size;
    }

    /** End of the earliest window that ends after {@code watermark + 1} (is still open at that watermark). */
    public long firstEndAfter(long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return (Math.floorDiv(watermark + 1 - size, slide) + 1) * slide + size;
    }

    /** First pane of the window ending at {@code end}. */
    public long firstPaneOfWindowEnding(long end) {
        return Math.floorDiv(end - size, pane);
    }

    /** First pane still needed once the window ending at {@code end} has been emitted. */
    public long firstPaneAfterWindowEnding(long end) {
        return Math.floorDiv(end + slide - size, pane);
    }
}
