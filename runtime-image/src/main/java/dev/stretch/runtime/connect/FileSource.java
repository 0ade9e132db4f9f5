package dev.stretch.runtime.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.model.FileSourceSpec;
import dev.stretch.model.RecordFormat;
import dev.stretch.runtime.pipeline.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Records read from a file, one per line: JSON lines (one object per line) or CSV (the first line is
 * the header; values typed as {@code Long}, else {@code Double}, else {@code String}; an empty value is
 * {@code null}). Values are normalised to the pipeline's types: every integer a {@code Long}, every
 * other number a {@code Double}, objects {@code LinkedHashMap} in file order.
 *
 * <p>Event time comes from {@code timestampField}: a number of epoch ms, or an ISO-8601 string (an
 * instant, a date-time with offset, or a local date-time taken as UTC). A line that does not parse, is
 * not an object, or has no usable timestamp goes to {@link SourceOutput#malformed} with its line number
 * and the problem; the lines after it go on.
 *
 * <p>Split s of n parses the data lines whose 0-based index (header excluded) is s mod n; every split
 * reads the whole file and skips the others' lines. When several pods run the job (see {@link #forPod}),
 * each pod parses every split's lines and emits the records its {@link SplitOwnership} gives it; a
 * malformed line goes to the pod that owns its split at the event time of the split's previous record. Blank lines count in the index but are skipped. A
 * record spans one line: CSV values with line breaks are not supported.
 */
public final class FileSource implements Source<Map<String, Object>> {
    /** Physical lines per read: bounds the time a read takes. */
    static final int MAX_LINES_PER_READ = 4096;

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d{1,18}");

    private final Path path;
    private final RecordFormat format;
    private final char delimiter;
    private final String timestampField;
    private final SplitOwnership ownership;

    /**
     * @param spec path, format (jsonl unless the spec or a {@code .csv} name says csv) and CSV delimiter
     * @param timestampField the field holding event time
     */
    public FileSource(FileSourceSpec spec, String timestampField) {
        this(Path.of(Objects.requireNonNull(Objects.requireNonNull(spec, "spec").getPath(), "file.path is required")),
                spec.getFormat() != null ? spec.getFormat()
                        : spec.getPath().toLowerCase(Locale.ROOT).endsWith(".csv") ? RecordFormat.CSV
                        : RecordFormat.JSONL,
                delimiter(spec.getDelimiter()), timestampField);
    }

    public FileSource(Path path, RecordFormat format, char delimiter, String timestampField) {
        this.path = Objects.requireNonNull(path, "path");
        this.format = Objects.requireNonNull(format, "format");
        if (format == RecordFormat.TEXT) {
            throw new IllegalArgumentException("a file source reads jsonl or csv, not text");
        }
        this.delimiter = delimiter;
        if (timestampField == null || timestampField.isEmpty()) {
            throw new IllegalArgumentException("a file source needs watermark.timestampField: the field holding event time");
        }
        this.timestampField = timestampField;
        this.ownership = SplitOwnership.ALL;
    }

    private FileSource(FileSource o, SplitOwnership ownership) {
        this.path = o.path;
        this.format = o.format;
        this.delimiter = o.delimiter;
        this.timestampField = o.timestampField;
        this.ownership = java.util.Objects.requireNonNull(ownership, "ownership");
    }

    /**
     * This source as run by one of several pods running the same job: it emits the records
     * {@code ownership} gives this pod (see {@code PodTopology}).
     */
    public FileSource forPod(SplitOwnership ownership) {
        return new FileSource(this, ownership);
    }

    private static char delimiter(String d) {
        if (d == null || d.isEmpty()) {
            return ',';
        }
        if (d.equals("\\t")) {
            return '\t';
        }
        if (d.length() != 1) {
            throw new IllegalArgumentException("file.delimiter must be one character, was '" + d + "'");
        }
        return d.charAt(0);
    }

    public Path path() {
        return path;
    }

    public RecordFormat format() {
        return format;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    /** Opens the file; for CSV, reads and checks the header. */
    @Override
    public SplitReader<Map<String, Object>> createReader(int split, int splitCount) throws IOException {
        if (splitCount < 1 || split < 0 || split >= splitCount) {
            throw new IllegalArgumentException("split must be in [0, splitCount), was " + split + " of " + splitCount);
        }
        BufferedReader in;
        try {
            // InputStreamReader replaces undecodable bytes instead of throwing: a bad line, not a dead job
            in = new BufferedReader(new InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "the file source's file does not exist");
        }
        try {
            return format == RecordFormat.CSV ? new CsvReader(in, split, splitCount)
                    : new JsonLinesReader(in, split, splitCount);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads lines, hands this split's non-blank ones to {@link #parse}. */
    private abstract class LineReader implements SplitReader<Map<String, Object>> {
        private final BufferedReader in;
        private final int split;
        private final int splits;
        /** 1-based number of the last line read. */
        long lineNumber;
        private final long firstDataLine;
        /** Event time of this split's previous record: where a malformed line belongs. */
        private long lastEventTime = Long.MIN_VALUE;

        LineReader(BufferedReader in, int split, int splits, long firstDataLine) {
            this.in = in;
            this.split = split;
            this.splits = splits;
            this.firstDataLine = firstDataLine;
        }

        String readLine() throws IOException {
            String line = in.readLine();
            if (line != null) {
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
            }
            return line;
        }

        @Override
        public ReadResult read(SourceOutput<Map<String, Object>> output) throws IOException {
            for (int n = 0; n < MAX_LINES_PER_READ; n++) {
                String line = readLine();
                if (line == null) {
                    return ReadResult.end();
                }
                if ((lineNumber - firstDataLine) % splits != split || line.isBlank()) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    record = parse(line);
                } catch (MalformedLine e) {
                    if (ownership.owns(split, lastEventTime)) {
                        output.malformed(line, "line " + lineNumber + ": " + e.getMessage());
                    }
                    continue;
                }
                Object ts = record.get(timestampField);
                long millis;
                try {
                    millis = eventTime(ts);
                } catch (MalformedLine e) {
                    if (ownership.owns(split, lastEventTime)) {
                        output.malformed(line, "line " + lineNumber + ": " + e.getMessage());
                    }
                    continue;
                }
                lastEventTime = millis;
                if (ownership.owns(split, millis)) {
                    output.collect(record, millis);
                }
            }
            return ReadResult.more();
        }

        abstract Map<String, Object> parse(String line) throws MalformedLine;

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private final class JsonLinesReader extends LineReader {
        // ints come as Integer, Long or BigInteger by size; normalise() makes them Long (or Double)
        private final ObjectReader json = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .readerFor(Object.class);

        JsonLinesReader(BufferedReader in, int split, int splits) {
            super(in, split, splits, 1);
        }

        @Override
        @SuppressWarnings("unchecked")
        Map<String, Object> parse(String line) throws MalformedLine {
            Object value;
            try {
                value = json.readValue(line);
            } catch (JsonProcessingException e) {
                throw new MalformedLine("not valid JSON: " + e.getOriginalMessage());
            }
            if (!(value instanceof Map)) {
                throw new MalformedLine("not a JSON object but " + describe(value));
            }
            Map<String, Object> record = new Row(((Map<String, Object>) value).size());
            for (Map.Entry<String, Object> e : ((Map<String, Object>) value).entrySet()) {
                record.put(e.getKey(), normalise(e.getValue()));
            }
            return record;
        }
    }

    private final class CsvReader extends LineReader {
        private final ObjectReader csv;
        private final String[] columns;

        CsvReader(BufferedReader in, int split, int splits) throws IOException {
            super(in, split, splits, 2);
            this.csv = new CsvMapper().readerFor(String[].class)
                    .with(CsvSchema.emptySchema().withColumnSeparator(delimiter));
            String header = readLine();
            if (header == null) {
                columns = null;
                return;
            }
            try {
                columns = csv.readValue(header);
            } catch (JsonProcessingException e) {
                throw new IOException(path + ": the CSV header does not parse: " + e.getOriginalMessage(), e);
            }
            Set<String> seen = new HashSet<>();
            for (String c : columns) {
                if (!seen.add(c)) {
                    throw new IOException(path + ": the CSV header names column '" + c + "' twice");
                }
            }
            if (!seen.contains(timestampField)) {
                throw new IOException(path + ": the timestamp field '" + timestampField
                        + "' is not a column of the CSV header " + Arrays.toString(columns));
            }
        }

        @Override
        public ReadResult read(SourceOutput<Map<String, Object>> output) throws IOException {
            return columns == null ? ReadResult.end() : super.read(output);
        }

        @Override
        Map<String, Object> parse(String line) throws MalformedLine {
            String[] values;
            try {
                values = csv.readValue(line);
            } catch (JsonProcessingException e) {
                throw new MalformedLine("not valid CSV: " + e.getOriginalMessage());
            }
            if (values.length != columns.length) {
                throw new MalformedLine(values.length + " values for the " + columns.length + " columns of the header");
            }
            Map<String, Object> record = new Row(columns.length);
            for (int i = 0; i < columns.length; i++) {
                record.put(columns[i], cell(values[i]));
            }
            return record;
        }
    }

    /** A CSV value as the pipeline sees it: Long, else Double, else the text; empty is null. */
    static Object cell(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        String t = text.strip();
        if (INTEGER.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException tooLong) {
                return Double.parseDouble(t);
            }
        }
        if (DECIMAL.matcher(t).matches()) {
            return Double.parseDouble(t);
        }
        return text;
    }

    /** Event time of a record from its timestamp field's value. */
    private long eventTime(Object ts) throws MalformedLine {
        if (ts == null) {
            throw new MalformedLine("no timestamp: field '" + timestampField + "' is missing or null");
        }
        if (ts instanceof Long l) {
            return l;
        }
        if (ts instanceof Double d) {
            if (Double.isFinite(d) && Math.abs(d) < 9.2e18) {
                return (long) Math.floor(d);
            }
        } else if (ts instanceof String s) {
            String t = s.strip();
            if (EPOCH_MILLIS.matcher(t).matches()) {
                return Long.parseLong(t);
            }
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                // try the other ISO-8601 forms
            }
            try {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            } catch (DateTimeParseException notOffset) {
                // try without offset
            }
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeParseException notLocal) {
                // fall through to the error
            }
        }
        throw new MalformedLine("timestamp field '" + timestampField + "' is neither epoch ms nor an ISO-8601 time: "
                + describe(ts));
    }

    /** JSON values in the pipeline's types: integers that do not fit a long become Double, decimals Double. */
    @SuppressWarnings("unchecked")
    private static Object normalise(Object v) {
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                e.setValue(normalise(e.getValue()));
            }
            return m;
        }
        if (v instanceof List<?> l) {
            List<Object> out = l instanceof ArrayList ? (List<Object>) l : new ArrayList<>(l);
            out.replaceAll(FileSource::normalise);
            return out;
        }
        if (v instanceof BigInteger b) {
            return b.doubleValue();
        }
        if (v instanceof BigDecimal b) {
            return b.doubleValue();
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        return v;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return "the " + (v instanceof Boolean ? "boolean " : "number ") + v;
    }

    /** A line that cannot be a record; its message is the problem, without the line number. */
    private static final class MalformedLine extends Exception {
        MalformedLine(String problem) {
            super(problem, null, false, false);
        }
    }
}
