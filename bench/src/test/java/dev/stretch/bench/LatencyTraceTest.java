package dev.stretch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class LatencyTraceTest {
    @Test
    void aWindowsFirstResultAndBurstCombineTheWritersAndSkipUnrecordedWindows() {
        // 1 event per ms, one split: the window ending at W closes at t0 + W ms (the schedule starts 100 ms out)
        Pacing pacing = new Pacing(1000, 1, 1);
        OutputTally tally = OutputTally.begin(pacing, 150);
        OutputTally.Writer a = tally.newWriter();
        OutputTally.Writer b = tally.newWriter();
        long due = pacing.closeNanos(200) + 3_000_000; // 3 ms after window 200 closes
        while (System.nanoTime() < due) {
            LockSupport.parkNanos(due - System.nanoTime());
        }
        a.add(1, 100); // before latencyFromEnd: not recorded
        a.add(1, 200);
        a.add(1, 200);
        a.add(1, 250); // not a multiple of the trace's granule: latency recorded, no trace window
        long later = System.nanoTime() + 4_000_000;
        while (System.nanoTime() < later) {
            LockSupport.parkNanos(later - System.nanoTime());
        }
        b.add(1, 200); // the same window from another writer, at least 4 ms later
        a.close();
        b.close();

        ObjectNode o = new ObjectMapper().createObjectNode();
        tally.trace().describe(o);
        ObjectNode t = (ObjectNode) o.get("latency_trace");
        assertThat(t.get("windows").asInt()).isEqualTo(1);
        assertThat(t.get("first_result_ms").get("p50").asDouble()).isGreaterThanOrEqualTo(3.0);
        assertThat(t.get("burst_ms").get("p50").asDouble()).isGreaterThanOrEqualTo(4.0);
        assertThat(tally.latency().getTotalCount()).isEqualTo(4);
        assertThat(tally.outputs()).isEqualTo(5);
    }

    @Test
    void sideBySideParsesLatencyConfigurations() {
        SideBySide.Config c = SideBySide.Config.parse("tumbling-count:1000:uniform:stretch-vsn:2:4e6:latency");
        assertThat(c.latency()).isTrue();
        assertThat(c.args()).contains("rate=4000000", "seconds=9.0", "skipSeconds=3.0").noneMatch(s -> s.startsWith("events="));
        SideBySide.Config t = SideBySide.Config.parse("tumbling-count:1000:uniform:stretch-vsn:2:1e7");
        assertThat(t.latency()).isFalse();
        assertThat(t.args()).contains("events=10000000");
        assertThatThrownBy(() -> SideBySide.Config.parse("tumbling-count:1000:uniform:stretch-vsn:2:1e7:fast"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":latency");
    }
}
