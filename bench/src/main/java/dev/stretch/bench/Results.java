package dev.stretch.bench;

import com.fasterxml.jackson.databind.JsonNode;
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
     * Puts the rows of {@code workloads} from a run of only those workloads ({@code fresh}) into
     * {@code latest.json}: their {@code results}, {@code ratios} and {@code verification} entries replace the
     * old ones of the same workloads, their targets (those naming one of them) replace targets of the same
     * name, and {@code workload_runs.<id>} says which run, command, machine load and date they come from.
     * Every other key and row stays as it was.
     */
    static void replaceWorkloads(Path latest, ObjectNode fresh, java.util.Set<String> workloads, ObjectMapper om)
            throws IOException {
        ObjectNode root = Files.exists(latest) ? (ObjectNode) om.readTree(latest.toFile()) : om.createObjectNode();
        for (String key : new String[] {"results", "ratios"}) {
            com.fasterxml.jackson.databind.node.ArrayNode out = om.createArrayNode();
            for (JsonNode r : root.path(key)) {
                if (!workloads.contains(r.path("workload").asText())) {
                    out.add(r);
                }
            }
            for (JsonNode r : fresh.path(key)) {
                if (workloads.contains(r.path("workload").asText())) {
                    out.add(r);
                }
            }
            root.set(key, out);
        }
        ObjectNode ver = root.has("verification") ? (ObjectNode) root.get("verification") : root.putObject("verification");
        fresh.path("verification").fields().forEachRemaining(e -> ver.set(e.getKey(), e.getValue()));
        java.util.Set<String> names = new java.util.HashSet<>();
        com.fasterxml.jackson.databind.node.ArrayNode targets = om.createArrayNode();
        for (JsonNode t : fresh.path("targets")) {
            String name = t.path("target").asText();
            if (t.path("n").asInt() > 0 && workloads.stream().anyMatch(name::contains)) { // targets naming them
                names.add(name);
                targets.add(t);
            }
        }
        com.fasterxml.jackson.databind.node.ArrayNode kept = om.createArrayNode();
        for (JsonNode t : root.path("targets")) {
            if (!names.contains(t.path("target").asText())) {
                kept.add(t);
            }
        }
        kept.addAll(targets);
        root.set("targets", kept);
        ObjectNode runs = root.has("workload_runs") ? (ObjectNode) root.get("workload_runs") : root.putObject("workload_runs");
        for (String w : workloads) {
            ObjectNode n = runs.putObject(w);
            for (String k : new String[] {"date", "command", "duration_min", "load", "markdown"}) {
                if (fresh.has(k)) {
                    n.set(k, fresh.get(k));
                }
            }
            n.put("cores", fresh.path("machine").path("cores").asInt());
        }
        ObjectMapper pretty = om.copy().enable(SerializationFeature.INDENT_OUTPUT);
        Path tmp = latest.resolveSibling("latest.json.tmp");
        pretty.writeValue(tmp.toFile(), root);
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
