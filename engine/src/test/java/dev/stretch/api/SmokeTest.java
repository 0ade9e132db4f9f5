package dev.stretch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.engine.testing.ArraySource;
import dev.stretch.engine.testing.ArraySource.Timed;
import dev.stretch.engine.testing.CollectingSink;
import dev.stretch.engine.testing.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void shouldCountPerKeyAndWindow() {
        List<List<Timed<Event>>> splits = new ArrayList<>();
        Map<String, Long> expected = new TreeMap<>();
        for (int s = 0; s < 2; s++) {
            List<Timed<Event>> l = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                long ts = i / 10;
                Event e = new Event(ts, (i * 7 + s) % 13, i);
                l.add(new Timed<>(ts, e));
                expected.merge(e.key() + "@" + (ts / 100 * 100 + 100), 1L, Long::sum);
            }
            splits.add(l);
        }
        StreamEnvironment env = StreamEnvironment.create(JobConfig.builder().defaultParallelism(2).build());
        CollectingSink<WindowResult<Long, Long>> sink = new CollectingSink<>();
        env.fromSource(new ArraySource<>(splits, 1), WatermarkStrategy.forMonotonousTimestamps(), "events")
                .keyByLong(Event::key)
                .window(Windows.tumblingMillis(100))
                .aggregate(Aggregations.<Event>count())
                .name("count")
                .sinkTo(sink);
        env.execute("smoke");
        Map<String, Long> got = new TreeMap<>();
        for (WindowResult<Long, Long> r : sink.values()) {
            got.merge(r.key() + "@" + r.end(), r.value(), Long::sum);
        }
        assertThat(got).isEqualTo(expected);
    }
}
