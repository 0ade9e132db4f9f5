package dev.stretch.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceGeneratorTest {

    @Test
    void shouldMatchCommittedTracesWhenRegenerated() throws IOException {
        for (Map.Entry<String, String> e : TraceGenerator.generateAll().entrySet()) {
            try (InputStream in = getClass().getResourceAsStream("/traces/" + e.getKey())) {
                assertThat(in).as("committed trace %s", e.getKey()).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .as("%s differs from TraceGenerator's output; regenerate it", e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
    }
}
