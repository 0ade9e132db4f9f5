package dev.stretch.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The release of STRETCH this build is, and the names of its images, read from the one place that defines them: the
 * Helm chart ({@code helm/stretch/Chart.yaml} appVersion, {@code values.yaml} image repositories and tags), copied
 * into this jar at build time. The chart, the operator's default pod image and {@code scripts/build-images.sh}
 * therefore always agree.
 */
public final class Release {
    private static final String DIR = "/dev/stretch/model/release/";
    private static final JsonNode CHART = read("Chart.yaml");
    private static final JsonNode VALUES = read("values.yaml");

    private Release() {
    }

    /** The version of STRETCH (the chart's appVersion), the default tag of both images. */
    public static String version() {
        return CHART.path("appVersion").asText();
    }

    /** The image of job pods ({@code stretch pod}), e.g. {@code ghcr.io/stretch-dev/stretch:0.1.0}. */
    public static String runtimeImage() {
        return image(VALUES.path("runtimeImage"));
    }

    /** The operator's image. */
    public static String operatorImage() {
        return image(VALUES.path("image"));
    }

    private static String image(JsonNode image) {
        String tag = image.path("tag").asText("");
        return image.path("repository").asText() + ":" + (tag.isEmpty() ? version() : tag);
    }

    private static JsonNode read(String file) {
        try (InputStream in = Release.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new IllegalStateException(DIR + file + " is missing from the model jar (copied from helm/stretch/)");
            }
            return StreamJobReader.yamlMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
