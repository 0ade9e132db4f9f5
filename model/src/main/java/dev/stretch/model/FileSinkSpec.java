package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Records written to a file, one per line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FileSinkSpec {
    @JsonPropertyDescription("File path (created or truncated).")
    @Required
    private String path;

    @JsonPropertyDescription("jsonl (default), csv or text.")
    private RecordFormat format;

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
}
