package dev.stretch.runtime.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writing test input to a topic and reading a topic back as a {@code read_committed} consumer. */
final class KafkaTopics {
    private KafkaTopics() {
    }

    /** One input event: key {@code user}, JSON value {user, amount, ts}, record timestamp ts. */
    record Event(String user, long amount, long ts) {
        String json() {
            return "{\"user\":\"" + user + "\",\"amount\":" + amount + ",\"ts\":" + ts + "}";
        }
    }

    static KafkaProducer<String, String> producer(KafkaBroker broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
    }

    static void send(KafkaProducer<String, String> p, String topic, Event e) {
        p.send(new ProducerRecord<>(topic, null, e.ts(), e.user(), e.json()));
    }

    /** A record far ahead in event time in every partition, so that every partition's windows close. */
    static void closeAllWindows(KafkaProducer<String, String> p, String topic, int partitions, long ts) {
        for (int i = 0; i < partitions; i++) {
            p.send(new ProducerRecord<>(topic, i, ts, "~end",
                    new Event("~end", 0, ts).json()));
        }
        p.flush();
    }

    /** Everything committed in {@code topic} now (read_committed), as values. */
    static List<String> readCommitted(KafkaBroker broker, String topic) {
        return records(broker, topic).stream().map(ConsumerRecord::value).toList();
    }

    static List<ConsumerRecord<String, String>> records(KafkaBroker broker, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to its end " + end);
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
