package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * Records printed on standard output.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StdoutSinkSpec {
    @JsonPropertyDescription("jsonl (default), csv or text.")
    private RecordFormat format;

    public RecordFormat getFormat() {
        return format;
    }

    public void setFormat(RecordFormat format) {
        this.format = format;
    }
}
