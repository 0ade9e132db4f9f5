package dev.stretch.runtime.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Kafka client security settings (SASL, TLS) passed through from a Secret: each key of the Secret
 * {@code spec.kafka.secret}, mounted as a directory ({@code $STRETCH_KAFKA_SECRET_DIR}, default
 * {@code /etc/stretch/kafka}), is a client property name and its content the value; e.g. keys
 * {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}. Files such as a trust store
 * are referred to by path ({@code ssl.truststore.location: /etc/stretch/kafka/truststore.p12}); binary keys
 * that are not property names ({@code *.p12}, {@code *.jks}, {@code *.pem}) are skipped. The values never
 * appear in logs or errors.
 */
final class KafkaSecrets {
    private KafkaSecrets() {
    }

    static Path directory() {
        String d = System.getenv("STRETCH_KAFKA_SECRET_DIR");
        return Path.of(d == null || d.isBlank() ? "/etc/stretch/kafka" : d);
    }

    static Map<String, String> properties() {
        return properties(directory());
    }

    static Map<String, String> properties(Path dir) {
        Map<String, String> m = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return m;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".p12") || name.endsWith(".jks") || name.endsWith(".pem")
                        || !Files.isRegularFile(f)) {
                    continue; // Kubernetes' ..data links, and key/trust stores used by path
                }
                m.put(name, Files.readString(f, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the Kafka settings in " + dir + ": " + e.getMessage(), e);
        }
        return m;
    }
}
