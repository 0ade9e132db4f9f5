package dev.stretch.runtime.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stretch.runtime.connect.SplitOwnership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodTopologyTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    private void write(String key, String content) throws IOException {
        Path tmp = Files.writeString(dir.resolve(key + ".tmp"), content);
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void shouldTakeTheOrdinalFromTheStatefulSetPodName() {
        assertThat(PodTopology.ordinalOf("word-count-12")).isEqualTo(OptionalInt.of(12));
        assertThat(PodTopology.ordinalOf("local")).isEmpty();
        assertThat(PodTopology.ordinalOf("a-99999999999")).isEmpty();
    }

    @Test
    void shouldFollowTheCountFileAndApplyAChangeAtTheAgreedEventTime() throws Exception {
        write("pods", "1\n");
        try (PodTopology t = PodTopology.watching("job-1", 1, dir.resolve("pods"), clock)) {
            SplitOwnership owns = t.ownership();
            assertThat(t.count()).isEqualTo(1);
            assertThat(owns.owns(1, 5_000)).as("pod 1 of 1 owns nothing").isFalse();

            write("handover-at", "7000");
            write("pods", "2");
            await().atMost(Duration.ofSeconds(30)).until(() -> t.count() == 2);

            assertThat(t.lastHandover()).isEqualTo(7_000);
            assertThat(owns.owns(1, 7_000)).as("at T: still the old count").isFalse();
            assertThat(owns.owns(1, 7_001)).isTrue();
            assertThat(owns.owns(3, 7_001)).isTrue();
            assertThat(owns.owns(2, 7_001)).isFalse();
        }
    }

    @Test
    void shouldAgreeOnAGridTimeAheadOfTheWallClockWhenNoHandoverTimeIsGiven() throws Exception {
        write("pods", "3");
        try (PodTopology t = PodTopology.watching("job-0", 0, dir.resolve("pods"), clock)) {
            assertThat(t.ownership().owns(3, Long.MIN_VALUE)).as("a first pod owns from the beginning").isTrue();
            now.set(1_000_100);
            write("pods", "1");
            t.poll();

            // 1 000 100 + 2 000 lead, rounded up to the 5 s grid
            assertThat(t.lastHandover()).isEqualTo(1_005_000);
            assertThat(t.ownership().owns(1, 1_005_000)).isFalse();
            assertThat(t.ownership().owns(1, 1_005_001)).isTrue();
        }
    }

    @Test
    void shouldOwnNothingBeforeTheHandoverWhenStartedByAChange() throws Exception {
        write("handover-at", "7000");
        write("pods", "3");
        try (PodTopology t = PodTopology.watching("job-2", 2, dir.resolve("pods"), clock)) {
            assertThat(t.ownership().owns(2, 6_999)).isFalse();
            assertThat(t.ownership().owns(2, 7_000)).isFalse();
            assertThat(t.ownership().owns(2, 7_001)).isTrue();
        }
    }

    @Test
    void shouldKeepTheCountWhileTheFileIsMissingOrWrong() throws Exception {
        write("pods", "2");
        try (PodTopology t = PodTopology.watching("job-0", 0, dir.resolve("pods"), clock)) {
            write("pods", "two");
            t.poll();
            assertThat(t.count()).isEqualTo(2);
            Files.delete(dir.resolve("pods"));
            t.poll();
            assertThat(t.count()).isEqualTo(2);
        }
    }
}
