package dev.stretch.runtime.kafka;

import dev.stretch.api.Sink;
import dev.stretch.api.SinkWriter;
import dev.stretch.model.Durations;
import dev.stretch.model.KafkaDelivery;
import dev.stretch.model.KafkaFormat;
import dev.stretch.model.KafkaSinkSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records to a Kafka topic. With {@code ExactlyOnce} (the default) the output goes out in
 * transactions that also commit the job's input offsets ({@code sendOffsetsToTransaction}), each offset
 * carrying the sink's event-time progress E (see {@link KafkaJob}): a {@code read_committed} reader sees a
 * result once, whichever pod produced it and however often partitions moved. Results above the sink's
 * progress are held back until the progress passes them, so that a transaction holds exactly the results up
 * to E. With {@code AtLeastOnce}, records go out at once and the offsets are committed after the producer
 * has flushed them; a failure can repeat what came after the last commit.
 *
 * <p>One producer per pod and sink, kept across engine restarts ({@code transactional.id} = consumer group +
 * ordinal, so a restarted pod fences its former self and aborts its open transaction).
 */
public final class KafkaSink implements Sink<Object> {
    private final Committer committer;

    KafkaSink(Committer committer) {
        this.committer = committer;
    }

    /**
     * Creates the pod's producer for {@code spec}. With exactly-once this also fences a former process of this pod
     * (same {@code transactional.id}) and aborts its open transaction, so it must happen before the pod joins the
     * consumer group: until then, the offsets that transaction holds cannot be read by anyone.
     */
    public static KafkaSink create(KafkaSinkSpec spec, Map<String, Object> clientProperties, String transactionalId) {
        return new KafkaSink(new Committer(spec, clientProperties, transactionalId));
    }

    public Committer committer() {
        return committer;
    }

    @Override
    public SinkWriter<Object> createWriter(int instance) {
        if (instance != 0) {
            throw new IllegalArgumentException("a Kafka sink runs as one instance per pod");
        }
        return new SinkWriter<>() {
            @Override
            public void write(Object element, long timestamp) {
                committer.write(element, timestamp);
            }

            @Override
            public void progress(long watermark) {
                committer.progress(watermark);
            }

            @Override
            public void flush() {
                committer.maybeCommit();
            }

            @Override
            public void close() {
                committer.finish();
            }
        };
    }

    /** The pod-level producer and the transaction it has open; every method holds the job's transaction lock. */
    public static final class Committer implements AutoCloseable {
        private static final System.Logger LOG = System.getLogger(KafkaSink.class.getName());
        /** Header of the control records a repartition sink writes among its data (value: what they are). */
        static final String CONTROL_HEADER = "stretch.control";
        static final byte[] WATERMARK = "watermark".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        private KafkaJob job;
        private final String topic;
        private final boolean exactlyOnce;
        private final KafkaCodec key;
        private final KafkaCodec value;
        private final long commitIntervalNanos;
        private final KafkaProducer<byte[], byte[]> producer;
        private final java.util.concurrent.locks.ReentrantLock lock;
        private final ArrayDeque<Object[]> pending = new ArrayDeque<>();
        private final AtomicReference<Map<TopicPartition, OffsetAndMetadata>> offsetsToCommit = new AtomicReference<>();
        private final LongAdder written = new LongAdder();
        private final LongAdder commits = new LongAdder();
        private KafkaJob.Assignment assignment;
        /** The splits whose offsets this sink commits: {@code from .. to-1}. */
        private int from;
        private int to = Integer.MAX_VALUE;
        /** A repartition sink: the topic its watermark records go to (every partition), else null. */
        private String watermarkTopic;
        private int watermarkPartitions;
        private long progress = Long.MIN_VALUE;
        private boolean txOpen;
        private boolean abandoned;
        private long lastCommit = System.nanoTime();
        private volatile String failure;
        /** Commits on time also while the engine sends nothing (a quiet input must not leave a transaction open). */
        private final java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "stretch-kafka-commit");
                    t.setDaemon(true);
                    return t;
                });

        Committer(KafkaSinkSpec spec, Map<String, Object> clientProperties, String transactionalId) {
            this.topic = spec.getTopic();
            this.exactlyOnce = spec.getDelivery() != KafkaDelivery.AT_LEAST_ONCE;
            this.key = spec.getKey() == null ? null : new KafkaCodec(spec.getKey(), KafkaFormat.RAW, "key", "sink key");
            this.value = new KafkaCodec(spec.getValue(), KafkaFormat.JSON, "value", "sink value");
            this.commitIntervalNanos = (spec.getCommitInterval() == null ? Duration.ofSeconds(1)
                    : Durations.parse(spec.getCommitInterval())).toNanos();
            this.lock = new java.util.concurrent.locks.ReentrantLock();
            Map<String, Object> p = new HashMap<>(clientProperties);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId + "-producer");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
            if (exactlyOnce) {
                p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                // a pod killed and not started again holds its partitions' offsets this long at most
                p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
            }
            this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
            if (exactlyOnce) {
                producer.initTransactions();
            }
            long ms = Math.max(10, commitIntervalNanos / 1_000_000);
            timer.scheduleWithFixedDelay(() -> {
                try {
                    maybeCommit();
                } catch (RuntimeException e) {
                    // the engine's next call reports the failure to the job
                }
            }, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /**
         * Connects this sink to the job's consumer: its commits carry the offsets of splits {@code from .. to-1}
         * of that consumer from now on.
         */
        void bind(KafkaJob k, int from, int to) {
            lock.lock();
            try {
                this.job = k;
                this.assignment = k.assignment();
                this.from = from;
                this.to = to;
            } finally {
                lock.unlock();
            }
        }

        /**
         * Makes this the sink of a repartition: each transaction also writes, to every partition of {@code topic},
         * a watermark record (header {@code stretch.control: watermark}, value {@code {"<split>": E, ...}}) that says
         * for each input partition this pod owns that everything of it up to event time E is in the topic, in this
         * transaction or before. The repartition source takes its partitions' event time from these.
         */
        void carryWatermarks(String topic, int partitions) {
            lock.lock();
            try {
                this.watermarkTopic = topic;
                this.watermarkPartitions = partitions;
            } finally {
                lock.unlock();
            }
        }

        boolean exactlyOnce() {
            return exactlyOnce;
        }

        /** Records written to the topic (committed or not). */
        public long written() {
            return written.sum();
        }

        /** Transactions (or offset commits) completed. */
        public long commits() {
            return commits.sum();
        }

        void write(Object element, long ts) {
            lock.lock();
            try {
                checkFailure();
                if (abandoned) {
                    return;
                }
                if (element instanceof Map<?, ?> m && assignment != null) {
                    Object o = m.get(KafkaJob.ORIGIN);
                    if (o instanceof Long s) {
                        int split = (int) (long) s;
                        if (!assignment.owns(split) || ts <= assignment.emitted()[split]) {
                            job.suppressed.increment();
                            return;
                        }
                    } else if (ts <= minEmitted()) {
                        job.suppressed.increment();
                        return;
                    }
                }
                if (exactlyOnce && ts > progress) {
                    pending.add(new Object[] {element, ts});
                } else {
                    send(element, ts);
                }
            } finally {
                lock.unlock();
            }
        }

        void progress(long watermark) {
            lock.lock();
            try {
                checkFailure();
                if (abandoned || watermark <= progress) {
                    return;
                }
                progress = watermark;
                while (!pending.isEmpty() && (long) pending.peekFirst()[1] <= progress) {
                    Object[] p = pending.pollFirst();
                    send(p[0], (long) p[1]);
                }
            } finally {
                lock.unlock();
            }
            maybeCommit();
        }

        void maybeCommit() {
            if (System.nanoTime() - lastCommit < commitIntervalNanos) {
                return;
            }
            lock.lock();
            try {
                checkFailure();
                if (!abandoned) {
                    commit(null);
                }
            } finally {
                lock.unlock();
            }
        }

        /** The stream ended (a bounded input): everything goes out and is committed. */
        void finish() {
            lock.lock();
            try {
                if (abandoned) {
                    return;
                }
                while (!pending.isEmpty()) {
                    Object[] p = pending.pollFirst();
                    send(p[0], (long) p[1]);
                }
                progress = Long.MAX_VALUE - 1;
                commit(null);
            } finally {
                lock.unlock();
            }
        }

        /** Before partitions are revoked (poller thread): commits up to the progress, then takes nothing more. */
        void commitBeforeRevoke(KafkaConsumer<byte[], byte[]> consumer) {
            lock.lock();
            try {
                if (!abandoned) {
                    try {
                        commit(consumer);
                    } catch (IllegalStateException fenced) {
                        LOG.log(System.Logger.Level.WARNING, fenced.getMessage());
                    }
                }
                abandonLocked();
            } finally {
                lock.unlock();
            }
        }

        /** Partitions were lost (no commit possible): drops what is not committed. */
        void abandon() {
            lock.lock();
            try {
                abandonLocked();
            } finally {
                lock.unlock();
            }
        }

        private void abandonLocked() {
            if (txOpen) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException e) {
                    LOG.log(System.Logger.Level.WARNING, "aborting the open transaction: " + e.getMessage());
                }
                txOpen = false;
            }
            pending.clear();
            abandoned = true;
        }

        /** A new engine run with {@code a}: starts accepting results again. */
        void reset(KafkaJob.Assignment a) {
            lock.lock();
            try {
                assignment = a;
                progress = Long.MIN_VALUE;
                pending.clear();
                abandoned = false;
                lastCommit = System.nanoTime();
            } finally {
                lock.unlock();
            }
        }

        /** Poller thread, at-least-once: commits the offsets the sink has flushed output for. */
        void onPoll(KafkaConsumer<byte[], byte[]> consumer) {
            Map<TopicPartition, OffsetAndMetadata> o = offsetsToCommit.getAndSet(null);
            if (o != null && !o.isEmpty()) {
                consumer.commitSync(o);
            }
        }

        private long minEmitted() {
            long min = Long.MAX_VALUE;
            boolean any = false;
            for (int s = from; s < Math.min(to, assignment.owned().length); s++) {
                if (assignment.owned()[s]) {
                    min = Math.min(min, assignment.emitted()[s]);
                    any = true;
                }
            }
            return any ? min : Long.MIN_VALUE;
        }

        @SuppressWarnings("unchecked")
        private void send(Object element, long ts) {
            Map<String, Object> r = element instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of("value", element);
            byte[] k = key == null ? null : key.encode(r);
            byte[] v = value.encode(r);
            if (exactlyOnce && !txOpen) {
                producer.beginTransaction();
                txOpen = true;
            }
            producer.send(new ProducerRecord<>(topic, null, ts < 0 || ts >= Long.MAX_VALUE - 1 ? null : ts, k, v),
                    (md, e) -> {
                        sendFailed(topic, e);
                    });
            written.increment();
        }

        private Map<TopicPartition, OffsetAndMetadata> offsets() {
            Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
            if (job == null || assignment == null) {
                return m;
            }
            for (int s = from; s < Math.min(to, assignment.owned().length); s++) {
                if (!assignment.owned()[s]) {
                    continue;
                }
                long e = Math.max(assignment.emitted()[s], progress);
                long pos = job.feed(s).position;
                if (e == Long.MIN_VALUE || pos < 0) {
                    continue;
                }
                m.put(job.partitions().get(s), new OffsetAndMetadata(pos, job.metadata(s, e)));
            }
            return m;
        }

        /** The progress E of every owned split of this sink's range that has one, by split. */
        private Map<Integer, Long> progressBySplit() {
            Map<Integer, Long> m = new java.util.TreeMap<>();
            if (job == null || assignment == null) {
                return m;
            }
            for (int s = from; s < Math.min(to, assignment.owned().length); s++) {
                long e = Math.max(assignment.emitted()[s], progress);
                if (assignment.owned()[s] && e != Long.MIN_VALUE) {
                    m.put(s, e);
                }
            }
            return m;
        }

        /** Inside the open transaction: the watermark records of a repartition sink (see {@link #carryWatermarks}). */
        private void sendWatermarks(Map<Integer, Long> marks) {
            if (!txOpen) {
                producer.beginTransaction();
                txOpen = true;
            }
            StringBuilder v = new StringBuilder("{");
            long min = Long.MAX_VALUE;
            for (Map.Entry<Integer, Long> e : marks.entrySet()) {
                v.append(v.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":").append(e.getValue());
                min = Math.min(min, e.getValue());
            }
            byte[] value = v.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            // the record's timestamp is event time too (at or below what it vouches for): it can only make a
            // replay's offsetsForTimes start earlier, never later
            Long ts = min < 0 ? null : min;
            for (int p = 0; p < watermarkPartitions; p++) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(watermarkTopic, p, ts, null, value);
                r.headers().add(CONTROL_HEADER, WATERMARK);
                producer.send(r, (md, e) -> {
                    sendFailed(watermarkTopic, e);
                });
            }
        }

        /** Commits output and offsets; {@code consumer} is given on the poller thread (at-least-once commits there). */
        private void commit(KafkaConsumer<byte[], byte[]> consumer) {
            Map<TopicPartition, OffsetAndMetadata> offsets = offsets();
            Map<Integer, Long> marks = exactlyOnce && (watermarkTopic != null || (job != null && job.repartition() != null))
                    ? progressBySplit() : Map.of();
            try {
                if (exactlyOnce) {
                    if (watermarkTopic != null && !marks.isEmpty()) {
                        sendWatermarks(marks);
                    }
                    if (!offsets.isEmpty()) {
                        if (!txOpen) {
                            producer.beginTransaction();
                            txOpen = true;
                        }
                        producer.sendOffsetsToTransaction(offsets, job.groupMetadata());
                    }
                    if (txOpen) {
                        producer.commitTransaction();
                        txOpen = false;
                    }
                } else {
                    producer.flush();
                    checkFailure();
                    if (consumer != null) {
                        consumer.commitSync(offsets);
                    } else if (!offsets.isEmpty()) {
                        offsetsToCommit.set(offsets);
                    }
                }
                commits.increment();
                lastCommit = System.nanoTime();
                if (exactlyOnce && watermarkTopic == null && job != null && job.repartition() != null && from >= job.inputSplits()) {
                    job.purgeRepartition(marks); // the repartition topic's records no replay needs any more
                }
            } catch (ProducerFencedException | InvalidProducerEpochException e) {
                failure = "another process took over this pod's transactions (" + e.getMessage() + ")";
                abandoned = true;
                throw new IllegalStateException(failure, e);
            } catch (KafkaException e) {
                LOG.log(System.Logger.Level.WARNING, "commit to '" + topic + "' failed, re-reading the owned partitions"
                        + " from their committed offsets: " + KafkaJob.rootMessage(e));
                abandonLocked();
                if (job != null) {
                    job.requestReset();
                }
            }
        }

        /**
         * A send's outcome (producer I/O thread). With exactly-once, a record that did not make it fails its
         * transaction's commit too, which aborts it and re-reads the owned partitions (see {@link #commit}): such
         * errors, and those of records in a transaction aborted for another reason (a rebalance moved the group's
         * generation), need nothing more. Only errors that a retry cannot cure stop the job.
         */
        private void sendFailed(String where, Exception e) {
            if (e == null || failure != null) {
                return;
            }
            boolean fatal = e instanceof org.apache.kafka.common.errors.AuthorizationException
                    || e instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || e instanceof org.apache.kafka.common.errors.InvalidTopicException
                    || e instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException && !exactlyOnce;
            if (fatal || !exactlyOnce) {
                failure = "writing to topic '" + where + "' failed: " + KafkaJob.rootMessage(e);
            }
        }

        private void checkFailure() {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }

        @Override
        public void close() {
            timer.shutdownNow();
            lock.lock();
            try {
                if (txOpen) {
                    try {
                        producer.abortTransaction();
                    } catch (KafkaException ignored) {
                        // closing anyway
                    }
                    txOpen = false;
                }
            } finally {
                lock.unlock();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }
}
