package dev.stretch.runtime.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stretch.api.SplitReader;
import dev.stretch.model.FileSourceSpec;
import dev.stretch.model.RecordFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws Exception {
        return Path.of(FileSourceTest.class.getResource("/connect/" + name).toURI());
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), Arrays.asList(lines));
    }

    private static RecordingOutput readAll(FileSource source, int split, int splits) throws Exception {
        return RecordingOutput.drain(source.createReader(split, splits), 10_000);
    }

    @Test
    void shouldReadJsonLinesAsRecordsWithPipelineTypesWhenTheLinesAreValid() throws Exception {
        FileSourceSpec spec = new FileSourceSpec();
        spec.setPath(resource("events.jsonl").toString());
        RecordingOutput out = readAll(new FileSource(spec, "ts"), 0, 1);

        assertThat(out.malformed).isEmpty();
        assertThat(out.timestamps()).containsExactly(1000L, 2000L, 3000L, 4000L);
        Map<String, Object> ann = out.records().get(0);
        assertThat(ann.keySet()).containsExactly("ts", "user", "clicks", "price", "vip", "tags", "geo", "note");
        assertThat(ann).containsEntry("ts", 1000L).containsEntry("clicks", 3L).containsEntry("price", 2.5)
                .containsEntry("vip", true).containsEntry("note", null)
                .containsEntry("tags", List.of("a", 1L));
        Map<String, Object> geo = new LinkedHashMap<>();
        geo.put("lat", 1.5);
        geo.put("zone", 7L);
        assertThat(ann.get("geo")).isEqualTo(geo);
        assertThat(out.records().get(1)).containsEntry("clicks", 12345678901L);
    }

    @Test
    void shouldReadCsvWithTypedValuesWhenTheHeaderAndDelimiterAreGiven() throws Exception {
        FileSourceSpec spec = new FileSourceSpec();
        spec.setPath(resource("events.csv").toString());
        spec.setDelimiter(";");
        RecordingOutput out = readAll(new FileSource(spec, "ts"), 0, 1);

        assertThat(out.malformed).isEmpty();
        assertThat(out.timestamps()).containsExactly(1000L, 2000L, 3000L);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("ts", 1000L);
        expected.put("user", "ann");
        expected.put("clicks", 3L);
        expected.put("price", 2.5);
        expected.put("note", null);
        assertThat(out.records().get(0)).isEqualTo(expected);
        assertThat(out.records().get(0).keySet()).containsExactly("ts", "user", "clicks", "price", "note");
        assertThat(out.records().get(1)).containsEntry("user", "b;ob").containsEntry("clicks", -4L)
                .containsEntry("price", 1000.0).containsEntry("note", "x y");
        assertThat(out.records().get(2)).containsEntry("clicks", 7L).containsEntry("price", 0.5)
                .containsEntry("note", "12abc");
    }

    @Test
    void shouldReportMalformedJsonLinesWithTheirNumbersAndGoOn() throws Exception {
        Path p = file("mixed.jsonl",
                "{\"ts\": 1, \"n\": 1}",
                "{\"ts\": 2, \"n\": ",
                "[1, 2]",
                "{\"n\": 4}",
                "{\"ts\": \"yesterday\", \"n\": 5}",
                "{\"ts\": 6, \"n\": 6} trailing",
                "{\"ts\": 7, \"n\": 7}");
        RecordingOutput out = readAll(new FileSource(p, RecordFormat.JSONL, ',', "ts"), 0, 1);

        assertThat(out.records()).extracting(r -> r.get("n")).containsExactly(1L, 7L);
        assertThat(out.malformed).extracting(RecordingOutput.Malformed::raw)
                .containsExactly("{\"ts\": 2, \"n\": ", "[1, 2]", "{\"n\": 4}", "{\"ts\": \"yesterday\", \"n\": 5}",
                        "{\"ts\": 6, \"n\": 6} trailing");
        List<String> reasons = out.malformed.stream().map(RecordingOutput.Malformed::reason).toList();
        assertThat(reasons.get(0)).startsWith("line 2: not valid JSON");
        assertThat(reasons.get(1)).isEqualTo("line 3: not a JSON object but an array");
        assertThat(reasons.get(2)).isEqualTo("line 4: no timestamp: field 'ts' is missing or null");
        assertThat(reasons.get(3)).startsWith("line 5: timestamp field 'ts' is neither epoch ms nor an ISO-8601 time")
                .contains("yesterday");
        assertThat(reasons.get(4)).startsWith("line 6: not valid JSON");
    }

    @Test
    void shouldReportCsvLinesWithTheWrongNumberOfValuesAndGoOn() throws Exception {
        Path p = file("mixed.csv", "ts,v", "1,a", "2", "3,c,extra", "\"4,d", "5,e");
        RecordingOutput out = readAll(new FileSource(p, RecordFormat.CSV, ',', "ts"), 0, 1);

        assertThat(out.records()).extracting(r -> r.get("v")).containsExactly("a", "e");
        assertThat(out.malformed).extracting(RecordingOutput.Malformed::reason).containsExactly(
                "line 3: 1 values for the 2 columns of the header",
                "line 4: 3 values for the 2 columns of the header",
                "line 5: not valid CSV: Missing closing quote for value");
    }

    @Test
    void shouldSkipBlankLinesWithoutReportingThem() throws Exception {
        Path p = file("blank.jsonl", "{\"ts\": 1}", "", "   ", "{\"ts\": 2}", "");
        RecordingOutput out = readAll(new FileSource(p, RecordFormat.JSONL, ',', "ts"), 0, 1);

        assertThat(out.timestamps()).containsExactly(1L, 2L);
        assertThat(out.malformed).isEmpty();
    }

    @Test
    void shouldGiveSplitSTheLinesWhoseIndexIsSModuloTheSplitCount() throws Exception {
        String[] lines = IntStream.range(0, 10).mapToObj(i -> "{\"ts\": " + i + "}").toArray(String[]::new);
        FileSource json = new FileSource(file("ten.jsonl", lines), RecordFormat.JSONL, ',', "ts");
        String[] csvLines = new String[11];
        csvLines[0] = "ts";
        for (int i = 0; i < 10; i++) {
            csvLines[i + 1] = String.valueOf(i);
        }
        FileSource csv = new FileSource(file("ten.csv", csvLines), RecordFormat.CSV, ',', "ts");

        for (FileSource source : List.of(json, csv)) {
            assertThat(readAll(source, 0, 3).timestamps()).containsExactly(0L, 3L, 6L, 9L);
            assertThat(readAll(source, 1, 3).timestamps()).containsExactly(1L, 4L, 7L);
            assertThat(readAll(source, 2, 3).timestamps()).containsExactly(2L, 5L, 8L);
        }
    }

    @Test
    void shouldGiveEachPodTheLinesItsOwnershipSays() throws Exception {
        String[] lines = IntStream.range(0, 8).mapToObj(i -> "{\"ts\": " + i + "}").toArray(String[]::new);
        FileSource source = new FileSource(file("eight.jsonl", lines), RecordFormat.JSONL, ',', "ts");

        // split s belongs to pod s % 2 up to event time 3, to pod s % 3 after: pod 1 owns split 1 up to 3
        SplitOwnership pod1 = (split, ts) -> split % (ts <= 3 ? 2 : 3) == 1;

        assertThat(readAll(source.forPod(pod1), 0, 4).timestamps()).isEmpty();
        assertThat(readAll(source.forPod(pod1), 1, 4).timestamps()).containsExactly(1L, 5L);
        assertThat(readAll(source.forPod(pod1), 2, 4).timestamps()).isEmpty();
        assertThat(readAll(source.forPod(pod1), 3, 4).timestamps()).containsExactly(3L);
    }

    @Test
    void shouldReadAtMostAChunkOfLinesPerRead() throws Exception {
        String[] lines = IntStream.range(0, FileSource.MAX_LINES_PER_READ + 10)
                .mapToObj(i -> "{\"ts\": " + i + "}").toArray(String[]::new);
        SplitReader<Map<String, Object>> reader = new FileSource(file("big.jsonl", lines), RecordFormat.JSONL, ',', "ts")
                .createReader(0, 1);
        RecordingOutput out = new RecordingOutput();

        assertThat(reader.read(out).isEnd()).isFalse();
        assertThat(out.emitted).hasSize(FileSource.MAX_LINES_PER_READ);
        reader.read(out);
        assertThat(out.emitted).hasSize(FileSource.MAX_LINES_PER_READ + 10);
        reader.close();
    }

    @Test
    void shouldEndAtOnceWhenTheCsvFileIsEmpty() throws Exception {
        Path p = Files.writeString(dir.resolve("empty.csv"), "");

        assertThat(readAll(new FileSource(p, RecordFormat.CSV, ',', "ts"), 0, 1).emitted).isEmpty();
    }

    @Test
    void shouldRefuseToOpenWhenTheCsvHeaderLacksTheTimestampField() throws Exception {
        Path p = file("nots.csv", "time,v", "1,a");
        FileSource source = new FileSource(p, RecordFormat.CSV, ',', "ts");

        assertThatThrownBy(() -> source.createReader(0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("'ts' is not a column of the CSV header [time, v]");
    }

    @Test
    void shouldTakeTheFormatFromTheFileNameWhenTheSpecOmitsIt() throws Exception {
        FileSourceSpec spec = new FileSourceSpec();
        spec.setPath(file("x.CSV", "ts", "5").toString());

        assertThat(new FileSource(spec, "ts").format()).isEqualTo(RecordFormat.CSV);
        assertThat(readAll(new FileSource(spec, "ts"), 0, 1).timestamps()).containsExactly(5L);
    }

    @Test
    void shouldTypeCsvCellsAsLongThenDoubleThenText() {
        Map<String, Object> typed = new HashMap<>();
        for (String cell : List.of("12", "-3", "+4", "99999999999999999999", "1.5", "-2e3", ".5", "1d", "NaN", "0x10",
                "abc", " 7 ")) {
            typed.put(cell, FileSource.cell(cell));
        }

        assertThat(typed).containsEntry("12", 12L).containsEntry("-3", -3L).containsEntry("+4", 4L)
                .containsEntry("99999999999999999999", 1e20).containsEntry("1.5", 1.5).containsEntry("-2e3", -2000.0)
                .containsEntry(".5", 0.5).containsEntry("1d", "1d").containsEntry("NaN", "NaN")
                .containsEntry("0x10", "0x10").containsEntry("abc", "abc").containsEntry(" 7 ", 7L);
        assertThat(FileSource.cell("")).isNull();
        assertThat(new ArrayList<>(typed.values())).allMatch(v -> !(v instanceof Integer));
    }
}
