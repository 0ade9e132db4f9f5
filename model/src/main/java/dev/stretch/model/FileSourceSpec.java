package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Records read from a file, one per line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileSourceSpec {
    @JsonPropertyDescription("File path.")
    @Required
    private String path;

    @JsonPropertyDescription("jsonl (one JSON object per line) or csv (first line is the header).")
    private RecordFormat format;

    @JsonPropertyDescription("CSV field delimiter (default \",\").")
    private String delimiter;

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public RecordFormat getFormat() {
        return format;
    }

    public void setFormat(RecordFormat format) {
        this.format = format;
    }

    public String getDelimiter() {
        return delimiter;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }
}
