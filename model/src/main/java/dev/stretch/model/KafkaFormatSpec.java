package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The encoding of a Kafka record's key or value, and the record fields it holds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KafkaFormatSpec {
    @JsonPropertyDescription("json (an object: its fields), csv (one line: the values of columns) or raw (UTF-8 text in one field).")
    private KafkaFormat format;

    @JsonPropertyDescription("raw: the field that holds the text (default: 'key' for a key, 'value' for a value).")
    @Size(min = 1, max = 253)
    private String field;

    @JsonPropertyDescription("csv: the fields, in the order of the values.")
    @Size(min = 1, max = 256)
    private List<@Size(min = 1, max = 253) String> columns;

    public KafkaFormat getFormat() {
        return format;
    }

    public void setFormat(KafkaFormat format) {
        this.format = format;
    }

    public String getField() {
        return field;
    }

    public void setField(String field) {
        this.field = field;
    }

    public List<String> getColumns() {
        return columns;
    }

    public void setColumns(List<String> columns) {
        this.columns = columns;
    }
}
