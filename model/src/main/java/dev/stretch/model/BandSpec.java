package dev.stretch.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A band join's condition: a left and a right record match when |left.{left} - right.{right}| <= width. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BandSpec {
    @JsonPropertyDescription("Numeric field of the left records.")
    @Required
    @Size(max = 253)
    private String left;

    @JsonPropertyDescription("Numeric field of the right records.")
    @Required
    @Size(max = 253)
    private String right;

    @JsonPropertyDescription("Largest difference of the two fields that still matches (inclusive), >= 0.")
    @Required
    @Min(0)
    private Double width;

    public String getLeft() {
        return left;
    }

    public void setLeft(String left) {
        this.left = left;
    }

    public String getRight() {
        return right;
    }

    public void setRight(String right) {
        this.right = right;
    }

    public Double getWidth() {
        return width;
    }

    public void setWidth(Double width) {
        this.width = width;
    }
}
