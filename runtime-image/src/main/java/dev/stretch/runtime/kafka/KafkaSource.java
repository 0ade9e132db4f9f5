package dev.stretch.runtime.kafka;

import dev.stretch.api.ReadResult;
import dev.stretch.api.Source;
import dev.stretch.api.SourceOutput;
import dev.stretch.api.SplitReader;
import dev.stretch.model.KafkaFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A Kafka source as one engine run sees it: split s is partition s of the job's topics (in the order of
 * {@code topics}, then by partition number), each its own lane with its own watermark. A split whose
 * partition this pod does not own in this run ends at once (it holds nothing back); if the pod owns none,
 * split 0 stays open and idle, so the job keeps running until an assignment comes.
 */
final class KafkaSource implements Source<Map<String, Object>> {
    static final int MAX_RECORDS_PER_READ = 2_048;
    private static final long IDLE_NANOS = 5_000_000;

    private final KafkaJob job;
    private final KafkaJob.Assignment assignment;
    private final KafkaCodec key;
    private final KafkaCodec value;
    private final String timestampField;

    KafkaSource(KafkaJob job, String timestampField) {
        this.job = job;
        this.assignment = job.assignment();
        job.built(assignment);
        this.key = new KafkaCodec(job.sourceSpec().getKey(), KafkaFormat.RAW, "key", "key");
        this.value = new KafkaCodec(job.sourceSpec().getValue(), KafkaFormat.JSON, "value", "value");
        this.timestampField = timestampField;
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public SplitReader<Map<String, Object>> createReader(int split, int splitCount) {
        if (splitCount != job.splits()) {
            throw new IllegalArgumentException("a Kafka source has one split per partition (" + job.splits()
                    + "), asked for " + splitCount);
        }
        boolean owned = assignment.owns(split);
        boolean keepAlive = split == 0 && assignment.ownedCount() == 0;
        return owned ? new Reader(split) : output -> keepAlive ? ReadResult.idle(100_000_000L) : ReadResult.end();
    }

    private final class Reader implements SplitReader<Map<String, Object>> {
        private final int split;
        private final KafkaJob.Feed feed;
        private final Long origin;

        Reader(int split) {
            this.split = split;
            this.feed = job.feed(split);
            this.origin = (long) split;
        }

        @Override
        public ReadResult read(SourceOutput<Map<String, Object>> output) {
            if (job.assignment() != assignment) {
                return ReadResult.idle(IDLE_NANOS); // being replaced by a new run
            }
            int n = 0;
            ConsumerRecord<byte[], byte[]> r;
            while (n < MAX_RECORDS_PER_READ && (r = feed.queue.poll()) != null) {
                n++;
                Map<String, Object> rec = KafkaCodec.newRecord();
                try {
                    key.decode(r.key(), rec);
                    value.decode(r.value(), rec);
                } catch (KafkaCodec.Malformed e) {
                    bad(output, r, e.getMessage());
                    continue;
                }
                long ts;
                if (timestampField == null) {
                    ts = r.timestamp();
                } else {
                    Long t = eventTime(rec.get(timestampField));
                    if (t == null) {
                        bad(output, r, "no usable event time: field '" + timestampField + "' is "
                                + (rec.containsKey(timestampField) ? "neither epoch ms nor an ISO-8601 time" : "missing"));
                        continue;
                    }
                    ts = t;
                }
                rec.put(KafkaJob.ORIGIN, origin);
                output.collect(rec, ts);
                feed.position = r.offset() + 1;
            }
            if (n > 0) {
                feed.size.addAndGet(-n);
                return ReadResult.more();
            }
            return ReadResult.idle(IDLE_NANOS);
        }

        private void bad(SourceOutput<Map<String, Object>> output, ConsumerRecord<byte[], byte[]> r, String reason) {
            String where = r.topic() + "-" + r.partition() + "@" + r.offset();
            job.deadLetter(r, reason);
            output.malformed(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8), where + ": " + reason);
            feed.position = r.offset() + 1;
        }
    }

    static Long eventTime(Object ts) {
        if (ts instanceof Long l) {
            return l;
        }
        if (ts instanceof Double d && Double.isFinite(d) && Math.abs(d) < 9.2e18) {
            return (long) Math.floor(d);
        }
        if (ts instanceof String s) {
            String t = s.strip();
            if (t.matches("-?\\d{1,18}")) {
                return Long.parseLong(t);
            }
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException notInstant) {
                try {
                    return OffsetDateTime.parse(t).toInstant().toEpochMilli();
                } catch (DateTimeParseException notOffset) {
                    return null;
                }
            }
        }
        return null;
    }
}
