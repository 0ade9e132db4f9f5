package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stretch.api.SinkWriter;
import dev.stretch.api.WindowResult;
import dev.stretch.model.RecordFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StdoutSinkTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, false, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void shouldPrintJsonLinesOnlyWhenFlushed() throws Exception {
        SinkWriter<Map<String, Object>> w = new StdoutSink<Map<String, Object>>(null, stream).createWriter(0);
        w.write(record("ts", 1L, "key", 7L, "name", "a \"b\""), 1);
        w.write(record("ts", 2L, "nested", record("x", 1.5), "list", List.of(1L, "y"), "none", null), 2);

        assertThat(printed()).isEmpty();
        w.flush();
        assertThat(printed()).isEqualTo("""
                {"ts":1,"key":7,"name":"a \\"b\\""}
                {"ts":2,"nested":{"x":1.5},"list":[1,"y"],"none":null}
                """);
    }

    @Test
    void shouldPrintWhatIsBufferedWhenClosed() throws Exception {
        SinkWriter<Map<String, Object>> w = new StdoutSink<Map<String, Object>>(RecordFormat.JSONL, stream).createWriter(0);
        w.write(record("a", 1L), 1);
        w.close();

        assertThat(printed()).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void shouldPrintJavaRecordsAsObjectsAndOtherElementsAsTheirJsonOrText() throws Exception {
        SinkWriter<Object> w = new StdoutSink<>(RecordFormat.JSONL, stream).createWriter(0);
        w.write(new WindowResult<>(3L, 0L, 1000L, 42L), 999);
        w.write("plain", 1);
        w.write(5L, 1);
        w.write(new Object() {
            @Override
            public String toString() {
                return "opaque";
            }
        }, 1);
        w.flush();

        assertThat(printed()).isEqualTo("""
                {"key":3,"start":0,"end":1000,"value":42}
                "plain"
                5
                "opaque"
                """);
    }

    @Test
    void shouldPrintCsvWithTheFirstRecordsFieldsAsHeader() throws Exception {
        SinkWriter<Map<String, Object>> w = new StdoutSink<Map<String, Object>>(RecordFormat.CSV, stream).createWriter(0);
        w.write(record("ts", 1L, "name", "a,b", "score", 2.5), 1);
        w.write(record("name", "quote\"d", "ts", 2L, "extra", true), 2);
        w.write(record("ts", 3L, "name", null, "score", record("deep", 1L)), 3);
        w.flush();

        assertThat(printed()).isEqualTo("""
                ts,name,score
                1,"a,b",2.5
                2,"quote""d",
                3,,"{""deep"":1}"
                """);
    }

    @Test
    void shouldPrintOneCsvHeaderBeforeAnyRowWhenSeveralInstancesWrite() throws Exception {
        StdoutSink<Map<String, Object>> sink = new StdoutSink<>(RecordFormat.CSV, stream);
        SinkWriter<Map<String, Object>> first = sink.createWriter(0);
        SinkWriter<Map<String, Object>> second = sink.createWriter(1);
        second.write(record("a", 1L, "b", 2L), 1);
        first.write(record("b", 3L, "a", 4L), 1);
        first.flush();
        second.flush();

        assertThat(printed()).isEqualTo("a,b\n4,3\n1,2\n");
    }

    @Test
    void shouldPrintWindowResultsAsCsvColumns() throws Exception {
        SinkWriter<Object> w = new StdoutSink<>(RecordFormat.CSV, stream).createWriter(0);
        w.write(new WindowResult<>("k", 0L, 10L, 4L), 9);
        w.write("scalar", 9);
        w.flush();

        assertThat(printed()).isEqualTo("key,start,end,value\nk,0,10,4\n,,,scalar\n");
    }

    @Test
    void shouldPrintScalarsUnderAValueColumnWhenTheyComeFirst() throws Exception {
        SinkWriter<Object> w = new StdoutSink<>(RecordFormat.CSV, stream).createWriter(0);
        w.write(7L, 1);
        w.write("x", 2);
        w.flush();

        assertThat(printed()).isEqualTo("value\n7\nx\n");
    }

    @Test
    void shouldPrintTextAsKeyEqualsValueQuotingWhatWouldBeAmbiguous() throws Exception {
        SinkWriter<Object> w = new StdoutSink<>(RecordFormat.TEXT, stream).createWriter(0);
        w.write(record("ts", 1L, "name", "bob", "msg", "a b", "eq", "x=y", "empty", "", "none", null, "n",
                record("x", 1L), "ok", true, "avg", 2.5), 1);
        w.write(new WindowResult<>(3L, 0L, 1000L, 42L), 999);
        w.write("just text", 1);
        w.flush();

        assertThat(printed()).isEqualTo("""
                ts=1 name=bob msg="a b" eq="x=y" empty="" none=null n={"x":1} ok=true avg=2.5
                key=3 start=0 end=1000 value=42
                just text
                """);
    }
}
