package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.SinkWriter;
import dev.stretch.model.RecordFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
    @TempDir
    Path dir;

    private static Map<String, Object> record(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    @Test
    void shouldCreateTheFileAndItsDirectoriesAndWriteJsonLines() throws Exception {
        Path out = dir.resolve("a/b/out.jsonl");
        SinkWriter<Map<String, Object>> w = new FileSink<Map<String, Object>>(out, null).createWriter(0);
        w.write(record("ts", 1L, "v", "x"), 1);
        w.write(record("ts", 2L, "v", 0.25), 2);
        w.close();

        assertThat(out).hasContent("{\"ts\":1,\"v\":\"x\"}\n{\"ts\":2,\"v\":0.25}");
        assertThat(Files.readString(out)).endsWith("\n");
    }

    @Test
    void shouldTruncateAnExistingFileWhenOpened() throws Exception {
        Path out = Files.writeString(dir.resolve("out.txt"), "old content that is long\n");
        SinkWriter<Map<String, Object>> w = new FileSink<Map<String, Object>>(out, RecordFormat.TEXT).createWriter(0);
        w.write(record("a", 1L, "b", "two"), 1);
        w.close();

        assertThat(Files.readString(out)).isEqualTo("a=1 b=two\n");
    }

    @Test
    void shouldMakeRecordsVisibleWhenFlushedBeforeClosing() throws Exception {
        Path out = dir.resolve("out.csv");
        SinkWriter<Map<String, Object>> w = new FileSink<Map<String, Object>>(out, RecordFormat.CSV).createWriter(0);
        w.write(record("a", 1L, "b", "x"), 1);

        w.flush();
        assertThat(Files.readString(out)).isEqualTo("a,b\n1,x\n");
        w.write(record("a", 2L, "b", "y"), 2);
        w.close();
        assertThat(Files.readString(out)).isEqualTo("a,b\n1,x\n2,y\n");
    }

    @Test
    void shouldKeepTheFileOpenUntilTheLastInstanceCloses() throws Exception {
        Path out = dir.resolve("shared.jsonl");
        FileSink<Map<String, Object>> sink = new FileSink<>(out, RecordFormat.JSONL);
        SinkWriter<Map<String, Object>> first = sink.createWriter(0);
        SinkWriter<Map<String, Object>> second = sink.createWriter(1);
        first.write(record("i", 0L, "n", 1L), 1);
        first.close();
        second.write(record("i", 1L, "n", 1L), 1);
        second.close();

        assertThat(Files.readAllLines(out)).containsExactly("{\"i\":0,\"n\":1}", "{\"i\":1,\"n\":1}");
    }
}
