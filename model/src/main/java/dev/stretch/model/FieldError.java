package dev.stretch.model;

/**
 * One problem in a job document, with where it is: {@code spec.pipeline[2].window.size: must be > 0}.
 *
 * @param path dotted path with list indexes, as a user would navigate the YAML
 * @param message what is wrong, in words
 */
public record FieldError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
