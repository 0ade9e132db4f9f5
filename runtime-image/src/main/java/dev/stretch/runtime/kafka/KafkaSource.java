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
 *
 * <p>The source of a repartition ({@link #repartitioned}) reads the repartition topic instead: split r is its
 * partition r, the records' event time is their record timestamp (the upstream stage's event time), and its
 * watermark comes from the watermark records the upstream pods write into every partition (see
 * {@link KafkaSink.Committer#carryWatermarks}): for each input partition the latest E seen, and the split's
 * progress is the least of them over all input partitions (none until every input partition has reported).
 * Records wait in the engine's reorder buffer until that progress passes them, since records of different
 * upstream pods interleave in a partition in no particular event-time order.
 */
final class KafkaSource implements Source<Map<String, Object>> {
    /** The repartition source's strategy: no bound of its own; only the watermark records release records. */
    static final java.time.Duration UNBOUNDED = java.time.Duration.ofMillis(Long.MAX_VALUE / 4);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final int MAX_RECORDS_PER_READ = 2_048;
    private static final long IDLE_NANOS = 5_000_000;

    private final KafkaJob job;
    private final KafkaJob.Assignment assignment;
    private final KafkaCodec key;
    private final KafkaCodec value;
    private final String timestampField;
    /** This source's first split in the job's consumer, and how many it has. */
    private final int first;
    private final int count;
    private final boolean repartitioned;

    KafkaSource(KafkaJob job, String timestampField) {
        this.job = job;
        this.assignment = job.assignment();
        job.built(assignment);
        this.key = new KafkaCodec(job.sourceSpec().getKey(), KafkaFormat.RAW, "key", "key");
        this.value = new KafkaCodec(job.sourceSpec().getValue(), KafkaFormat.JSON, "value", "value");
        this.timestampField = timestampField;
        this.first = 0;
        this.count = job.inputSplits();
        this.repartitioned = false;
    }

    /** The source of the job's repartition topic (the same assignment as the input source of this engine run). */
    private KafkaSource(KafkaJob job, KafkaJob.Assignment assignment) {
        this.job = job;
        this.assignment = assignment;
        dev.stretch.model.KafkaFormatSpec k = new dev.stretch.model.KafkaFormatSpec();
        k.setFormat(KafkaFormat.RAW);
        k.setField(job.repartition().keyField());
        this.key = new KafkaCodec(k, KafkaFormat.RAW, "key", "key");
        this.value = new KafkaCodec(null, KafkaFormat.JSON, "value", "value");
        this.timestampField = null;
        this.first = job.inputSplits();
        this.count = job.repartitionSplits();
        this.repartitioned = true;
    }

    /** The source reading back the repartition topic, for the engine run {@code input} belongs to. */
    static KafkaSource repartitioned(KafkaSource input) {
        return new KafkaSource(input.job, input.assignment);
    }

    int splits() {
        return count;
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public SplitReader<Map<String, Object>> createReader(int split, int splitCount) {
        if (splitCount != count) {
            throw new IllegalArgumentException("a Kafka source has one split per partition (" + count
                    + "), asked for " + splitCount);
        }
        boolean owned = assignment.owns(first + split);
        boolean ownsNone = true;
        for (int s = first; s < first + count; s++) {
            ownsNone &= !assignment.owns(s);
        }
        boolean keepAlive = split == 0 && ownsNone;
        return owned ? new Reader(first + split) : output -> keepAlive ? ReadResult.idle(100_000_000L) : ReadResult.end();
    }

    private final class Reader implements SplitReader<Map<String, Object>> {
        private final int split;
        private final KafkaJob.Feed feed;
        private final Long origin;
        /** Repartition source: the latest watermark each input partition reported; MIN until it has. */
        private final long[] inputWatermarks;
        private long reported = Long.MIN_VALUE;

        Reader(int split) {
            this.split = split;
            this.feed = job.feed(split);
            this.origin = (long) split;
            this.inputWatermarks = repartitioned ? new long[job.inputSplits()] : null;
            if (inputWatermarks != null) {
                java.util.Arrays.fill(inputWatermarks, Long.MIN_VALUE);
            }
        }

        /** A watermark record of the repartition topic: raises the input partitions' marks, then the split's progress. */
        private void watermark(SourceOutput<Map<String, Object>> output, ConsumerRecord<byte[], byte[]> r) {
            try {
                var fields = JSON.readTree(r.value()).fields();
                while (fields.hasNext()) {
                    var e = fields.next();
                    int s = Integer.parseInt(e.getKey());
                    if (s >= 0 && s < inputWatermarks.length) {
                        inputWatermarks[s] = Math.max(inputWatermarks[s], e.getValue().asLong());
                    }
                }
            } catch (java.io.IOException | NumberFormatException e) {
                throw new IllegalStateException("a watermark record of " + r.topic() + "-" + r.partition() + "@" + r.offset()
                        + " is not one this runtime writes: " + e.getMessage(), e);
            }
            long min = Long.MAX_VALUE;
            for (long w : inputWatermarks) {
                min = Math.min(min, w);
            }
            if (min > reported) {
                reported = min;
                output.markProgress(min);
            }
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
                if (repartitioned && r.headers().lastHeader(KafkaSink.Committer.CONTROL_HEADER) != null) {
                    watermark(output, r);
                    feed.position = r.offset() + 1;
                    continue;
                }
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
