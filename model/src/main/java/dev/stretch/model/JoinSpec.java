package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Window join of two stages: for every pair of records with equal keys in the same window, one output
 * record {key, window_start, window_end, left, right}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JoinSpec {
    @JsonPropertyDescription("Name of the left input stage.")
    @Required
    private String left;

    @JsonPropertyDescription("Name of the right input stage.")
    @Required
    private String right;

    @JsonPropertyDescription("Key field of the left records.")
    @Required
    private String leftKey;

    @JsonPropertyDescription("Key field of the right records.")
    @Required
    private String rightKey;

    @JsonPropertyDescription("Window size.")
    @Required
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String size;

    @JsonPropertyDescription("Window slide (default: size).")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String slide;

    @JsonPropertyDescription("Initial threads of this operator.")
    @Min(1)
    private Integer parallelism;

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

    public String getLeftKey() {
        return leftKey;
    }

    public void setLeftKey(String leftKey) {
        this.leftKey = leftKey;
    }

    public String getRightKey() {
        return rightKey;
    }

    public void setRightKey(String rightKey) {
        this.rightKey = rightKey;
    }

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getSlide() {
        return slide;
    }

    public void setSlide(String slide) {
        this.slide = slide;
    }

    public Integer getParallelism() {
        return parallelism;
    }

    public void setParallelism(Integer parallelism) {
        this.parallelism = parallelism;
    }
}
