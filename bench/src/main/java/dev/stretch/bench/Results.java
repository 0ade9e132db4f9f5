package dev.stretch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared results file {@code latest.json}: each benchmark owns its top-level key(s) and replaces only
 * those, keeping every other key as it was (other benchmarks' results, the side-by-side run's).
 */
final class Results {
    private Results() {
    }

    /** Sets {@code key} in {@code dir/latest.json} (created if absent), leaving the other keys alone. */
    static void put(Path dir, String key, ObjectNode value) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path latest = dir.resolve("latest.json");
        ObjectNode root = Files.exists(latest) ? (ObjectNode) om.readTree(latest.toFile()) : om.createObjectNode();
        root.set(key, value);
        if (!root.has("machine")) {
            root.set("machine", Machine.json(om));
        }
        Path tmp = dir.resolve("latest.json.tmp");
        om.writeValue(tmp.toFile(), root);
        Files.move(tmp, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Copies into {@code fresh} every top-level key of the existing {@code latest.json} that {@code fresh}
     * does not have, so that a full side-by-side run keeps the other benchmarks' results.
     */
    static void keepOtherKeys(Path latest, ObjectNode fresh, ObjectMapper om) throws IOException {
        if (!Files.exists(latest)) {
            return;
        }
        ObjectNode old = (ObjectNode) om.readTree(latest.toFile());
        old.fieldNames().forEachRemaining(k -> {
            if (!fresh.has(k)) {
                fresh.set(k, old.get(k));
            }
        });
    }
}
