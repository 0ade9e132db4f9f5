package dev.stretch.runtime.pipeline;

import dev.stretch.api.Collector;
import dev.stretch.api.CoWindowProcessFunction;
import dev.stretch.api.TimeWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The declarative window join: for every pair of a left and a right record with equal keys in a window,
 * one record {key, window_start, window_end, left, right}.
 */
final class RowJoin implements CoWindowProcessFunction<Map<String, Object>, Map<String, Object>, Object, RowJoin.Pane,
        Map<String, Object>> {

    /** One key's records of one pane, per side, in arrival order. */
    static final class Pane {
        final List<Map<String, Object>> left = new ArrayList<>(2);
        final List<Map<String, Object>> right = new ArrayList<>(2);
    }

    @Override
    public Pane createPane() {
        return new Pane();
    }

    @Override
    public Pane update1(Pane pane, Map<String, Object> value) {
        pane.left.add(value);
        return pane;
    }

    @Override
    public Pane update2(Pane pane, Map<String, Object> value) {
        pane.right.add(value);
        return pane;
    }

    @Override
    public void output(Object key, TimeWindow window, Iterable<Pane> panes, Collector<Map<String, Object>> out) {
        for (Pane lp : panes) {
            for (Map<String, Object> l : lp.left) {
                for (Pane rp : panes) {
                    for (Map<String, Object> r : rp.right) {
                        Map<String, Object> m = new Row(5);
                        m.put("key", key);
                        m.put("window_start", window.start());
                        m.put("window_end", window.end());
                        m.put("left", l);
                        m.put("right", r);
                        out.collect(m);
                    }
                }
            }
        }
    }
}
