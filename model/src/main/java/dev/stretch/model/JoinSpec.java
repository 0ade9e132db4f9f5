package dev.stretch.model;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/**
 * Join of two stages, one of:
 * <ul>
 *   <li>a window join on equal keys ({@code leftKey}, {@code rightKey}, {@code size}, {@code slide}): for
 *       every pair of records with equal keys in the same window, one record
 *       {key, window_start, window_end, left, right} when the window closes;</li>
 *   <li>a band join ({@code band}, {@code within}) or a theta join on a CEL predicate ({@code predicate},
 *       {@code within}): for every matching pair whose timestamps are at most {@code within} apart, one
 *       record {left, right} as soon as the later of the two arrives (ScaleJoin semantics).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JoinSpec {
    @JsonPropertyDescription("Name of the left input stage.")
    @Required
    private String left;

    @JsonPropertyDescription("Name of the right input stage.")
    @Required
    private String right;

    @JsonPropertyDescription("Key field of the left records (window join on equal keys).")
    private String leftKey;

    @JsonPropertyDescription("Key field of the right records (window join on equal keys).")
    private String rightKey;

    @JsonPropertyDescription("Band join instead of equal keys: records match when |left.<band.left> - right.<band.right>| <= band.width. Needs within.")
    private BandSpec band;

    @JsonPropertyDescription("Theta join instead of equal keys: a CEL expression over the two records, named left and right, that is true for a matching pair, e.g. left.price < right.price && left.region != right.region. Needs within.")
    @Size(max = 4096)
    private String predicate;

    @JsonPropertyDescription("Band and theta joins: how far apart in event time two matching records may be (inclusive), e.g. 2s.")
    @Pattern("^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$")
    private String within;

    @JsonPropertyDescription("Window size (window join on equal keys).")
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

    public BandSpec getBand() {
        return band;
    }

    public void setBand(BandSpec band) {
        this.band = band;
    }

    public String getPredicate() {
        return predicate;
    }

    public void setPredicate(String predicate) {
        this.predicate = predicate;
    }

    public String getWithin() {
        return within;
    }

    public void setWithin(String within) {
        this.within = within;
    }

    /** Whether this is a band or theta join (no keys, no windows). */
    public boolean theta() {
        return band != null || predicate != null;
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
