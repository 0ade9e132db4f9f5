package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stretch.api.DeadLetter;
import dev.stretch.api.SinkWriter;
import dev.stretch.model.FileSinkSpec;
import dev.stretch.model.SinkSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldWriteOneJsonObjectPerDeadLetterWithANullTimestampWhenItHadNone() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SinkWriter<DeadLetter> w = new DeadLetterSink(new PrintStream(bytes, false, StandardCharsets.UTF_8))
                .createWriter(0);
        w.write(new DeadLetter("events", "line 3: not valid JSON", "{\"ts\": ", Long.MIN_VALUE), Long.MIN_VALUE);
        w.write(new DeadLetter("count", "timestamp 5 is behind", "{ts=5}", 5), 5);
        w.flush();

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.fieldNames()).toIterable().containsExactly("operator", "reason", "record", "timestamp");
        assertThat(first.get("operator").asText()).isEqualTo("events");
        assertThat(first.get("reason").asText()).isEqualTo("line 3: not valid JSON");
        assertThat(first.get("record").asText()).isEqualTo("{\"ts\": ");
        assertThat(first.get("timestamp").isNull()).isTrue();
        assertThat(JSON.readTree(lines.get(1)).get("timestamp").asLong()).isEqualTo(5L);
    }

    @Test
    void shouldWriteDeadLettersToTheFileTheSinkSpecNames() throws Exception {
        SinkSpec spec = new SinkSpec();
        FileSinkSpec file = new FileSinkSpec();
        file.setPath(dir.resolve("dead.jsonl").toString());
        spec.setFile(file);
        SinkWriter<DeadLetter> w = Connectors.deadLetters(spec).createWriter(0);
        w.write(new DeadLetter("src", "bad", "raw", Long.MIN_VALUE), Long.MIN_VALUE);
        w.close();

        assertThat(Files.readString(dir.resolve("dead.jsonl")))
                .isEqualTo("{\"operator\":\"src\",\"reason\":\"bad\",\"record\":\"raw\",\"timestamp\":null}\n");
    }
}
